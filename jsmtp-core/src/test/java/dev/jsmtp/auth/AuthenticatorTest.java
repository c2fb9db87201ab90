package dev.jsmtp.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jsmtp.EnhancedStatus;
import dev.jsmtp.Reply;
import dev.jsmtp.SmtpAuthenticationException;
import dev.jsmtp.SmtpProtocolException;
import dev.jsmtp.TokenProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    static final String GOOGLE_ERROR = "eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwu"
            + "Z29vZ2xlLmNvbS8ifQ==";

    /** Plays the server's replies in order and records what the client sent and what it let a transcript show. */
    static final class FakeChannel implements Authenticator.AuthChannel {
        final Deque<Reply> replies = new ArrayDeque<>();
        final List<String> lines = new ArrayList<>();
        final List<String> transcript = new ArrayList<>();

        FakeChannel(Reply... replies) {
            this.replies.addAll(Arrays.asList(replies));
        }

        @Override
        public Reply exchange(String line, String transcriptText) throws IOException {
            lines.add(line);
            transcript.add(transcriptText);
            if (replies.isEmpty()) {
                throw new IOException("the test server has no reply left for: " + line);
            }
            return replies.poll();
        }
    }

    static Reply reply(int code, String text) {
        return Reply.of(code, text);
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A mechanism with a chosen name and initial response, to put the AUTH line exactly where a test wants. */
    static SaslMechanism fixed(String name, byte[] initialResponse) {
        return new SaslMechanism() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<byte[]> initialResponse() {
                return Optional.of(initialResponse.clone());
            }

            @Override
            public byte[] respond(byte[] challenge) throws IOException {
                throw new UnexpectedChallengeException("no more");
            }

            @Override
            public boolean usesToken() {
                return false;
            }
        };
    }

    @Test
    void plainSendsTheInitialResponseOnTheAuthLineAndMasksIt() throws IOException {
        FakeChannel channel = new FakeChannel(reply(235, "2.7.0 Authentication successful"));

        Authenticator.authenticate(channel, new Plain("tim", "tanstaaftanstaaf"::toCharArray), false, "h:587");

        assertThat(channel.lines).containsExactly("AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
        assertThat(channel.transcript).containsExactly("AUTH PLAIN ****");
    }

    @Test
    void loginAnswersEachChallengeInBase64() throws IOException {
        FakeChannel channel = new FakeChannel(reply(334, "VXNlcm5hbWU6"), reply(334, "UGFzc3dvcmQ6"),
                reply(235, "2.7.0 Accepted"));

        Authenticator.authenticate(channel, new Login("tim", "tanstaaf"::toCharArray), false, "h:465");

        assertThat(channel.lines).containsExactly("AUTH LOGIN", b64("tim"), b64("tanstaaf"));
        assertThat(channel.transcript).containsExactly("AUTH LOGIN", "****", "****");
    }

    @Test
    void cramMd5AnswersRfc2195Example() throws IOException {
        FakeChannel channel = new FakeChannel(reply(334, "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+"),
                reply(235, "Authentication successful"));

        Authenticator.authenticate(channel, new CramMd5("tim", "tanstaaftanstaaf"::toCharArray), false, "h:25");

        assertThat(channel.lines).containsExactly("AUTH CRAM-MD5", "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
    }

    @Test
    void initialResponseGoesOnTheLineWhenTheLineIsExactly512OctetsWithCrlf() throws IOException {
        // "AUTH " + 8 + " " + 496 base64 characters (372 octets) + CRLF = 512.
        FakeChannel channel = new FakeChannel(reply(235, "ok"));

        Authenticator.authenticate(channel, fixed("X-EIGHT8", new byte[372]), false, "h:25");

        assertThat(channel.lines).hasSize(1);
        assertThat(channel.lines.get(0).length() + 2).isEqualTo(512);
        assertThat(channel.lines.get(0)).startsWith("AUTH X-EIGHT8 AAAA");
    }

    @Test
    void initialResponseWaitsForTheFirstChallengeWhenTheLineWouldBe513Octets() throws IOException {
        FakeChannel channel = new FakeChannel(reply(334, ""), reply(235, "ok"));

        Authenticator.authenticate(channel, fixed("X-NINE999", new byte[372]), false, "h:25");

        assertThat(channel.lines).containsExactly("AUTH X-NINE999",
                Base64.getEncoder().encodeToString(new byte[372]));
        assertThat(channel.transcript).containsExactly("AUTH X-NINE999", "****");
    }

    @Test
    void alwaysSendInitialResponsePutsItOnTheLinePast512Octets() throws IOException {
        FakeChannel channel = new FakeChannel(reply(235, "ok"));

        Authenticator.authenticate(channel, fixed("X-NINE999", new byte[372]), true, "h:25");

        assertThat(channel.lines)
                .containsExactly("AUTH X-NINE999 " + Base64.getEncoder().encodeToString(new byte[372]));
        assertThat(channel.transcript).containsExactly("AUTH X-NINE999 ****");
    }

    @Test
    void anEmptyInitialResponseIsSentAsEquals() throws IOException {
        FakeChannel channel = new FakeChannel(reply(235, "ok"));

        Authenticator.authenticate(channel, fixed("EXTERNAL", new byte[0]), false, "h:25");

        assertThat(channel.lines).containsExactly("AUTH EXTERNAL =");
    }

    @Test
    void longTokenIsSentAfterTheEmptyChallengeAndALaterChallengeIsItsError() throws IOException {
        String token = "t".repeat(600);
        FakeChannel channel = new FakeChannel(reply(334, ""), reply(334, GOOGLE_ERROR),
                reply(535, "5.7.8 Username and Password not accepted."));
        XOAuth2 xoauth = new XOAuth2("ann@gmail.com", TokenProvider.of(token));

        SmtpAuthenticationException e = catchThrowableOfType(SmtpAuthenticationException.class,
                () -> Authenticator.authenticate(channel, xoauth, false, "smtp.gmail.com:587"));

        assertThat(channel.lines).hasSize(3);
        assertThat(channel.lines.get(0)).isEqualTo("AUTH XOAUTH2");
        assertThat(channel.lines.get(2)).isEmpty();
        assertThat(e.freshTokenMayHelp()).isTrue();
        assertThat(e.getMessage()).contains("status 401");
    }

    @Test
    void xoauth2ErrorChallengeIsAnsweredEmptyAndReportedWithStatusAndScope() {
        FakeChannel channel = new FakeChannel(reply(334, GOOGLE_ERROR),
                reply(535, "5.7.8 Username and Password not accepted. Learn more at https://support.google.com"));

        SmtpAuthenticationException e = catchThrowableOfType(SmtpAuthenticationException.class,
                () -> Authenticator.authenticate(channel, new XOAuth2("ann@gmail.com", TokenProvider.of("ya29.x")),
                        false, "smtp.gmail.com:465"));

        assertThat(channel.lines).hasSize(2);
        assertThat(channel.lines.get(1)).isEmpty();
        assertThat(channel.transcript).containsExactly("AUTH XOAUTH2 ****", "****");
        assertThat(e.mechanism()).isEqualTo("XOAUTH2");
        assertThat(e.freshTokenMayHelp()).isTrue();
        assertThat(e.reply()).hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(535));
        assertThat(e.server()).isEqualTo("smtp.gmail.com:465");
        assertThat(e.getMessage()).startsWith("AUTH XOAUTH2 rejected: 535 5.7.8 Username and Password not accepted")
                .contains("status 401").contains("scope https://mail.google.com/");
    }

    @Test
    void oauthbearerErrorChallengeIsAnsweredWithCtrlA() {
        String error = b64("{\"status\":\"invalid_token\",\"scope\":\"example_scope\","
                + "\"openid-configuration\":\"https://example.com/.well-known/openid-configuration\"}");
        FakeChannel channel = new FakeChannel(reply(334, error),
                reply(535, "5.7.8 Authentication credentials invalid"));

        SmtpAuthenticationException e = catchThrowableOfType(SmtpAuthenticationException.class,
                () -> Authenticator.authenticate(channel,
                        new OAuthBearer("u@example.com", TokenProvider.of("tok"), "server.example.com", 587), false,
                        "server.example.com:587"));

        assertThat(channel.lines.get(1)).isEqualTo("AQ==");
        assertThat(e.freshTokenMayHelp()).isTrue();
        assertThat(e.getMessage()).contains("status invalid_token").contains("scope example_scope");
    }

    @Test
    void anErrorChallengeThatIsNotJsonIsStillReportedEscaped() {
        FakeChannel channel = new FakeChannel(reply(334, b64("bad token\r\n")), reply(535, "5.7.8 no"));

        SmtpAuthenticationException e = catchThrowableOfType(SmtpAuthenticationException.class,
                () -> Authenticator.authenticate(channel, new XOAuth2("u", TokenProvider.of("tok")), false, "h:1"));

        assertThat(e.freshTokenMayHelp()).isTrue();
        assertThat(e.getMessage()).contains("\"bad token\\r\\n\"");
    }

    @Test
    void refusalIsAnAuthenticationExceptionAndNothingElseIsTried() {
        FakeChannel channel = new FakeChannel(reply(535, "5.7.8 Username and Password not accepted."));

        SmtpAuthenticationException e = catchThrowableOfType(SmtpAuthenticationException.class,
                () -> Authenticator.authenticate(channel, new Plain("ann", "pw"::toCharArray), false, "h:587"));

        assertThat(channel.lines).hasSize(1);
        assertThat(e.mechanism()).isEqualTo("PLAIN");
        assertThat(e.freshTokenMayHelp()).isFalse();
        assertThat(e.isTransient()).isFalse();
        assertThat(e.reply().orElseThrow().status()).contains(new EnhancedStatus(5, 7, 8));
        assertThat(e.getMessage()).contains("app password");
    }

    @Test
    void tokenRefusedWithout334ByMicrosoftMayHelpWithAFreshToken() {
        FakeChannel channel = new FakeChannel(reply(535, "5.7.3 Authentication unsuccessful [SN4PR0601CA0007]"));

        SmtpAuthenticationException e = catchThrowableOfType(SmtpAuthenticationException.class,
                () -> Authenticator.authenticate(channel, new XOAuth2("u", TokenProvider.of("tok")), false, "h:587"));

        assertThat(e.freshTokenMayHelp()).isTrue();
        assertThat(e.getMessage()).contains("authentication unsuccessful");
    }

    @Test
    void smtpAuthDisabledIsExplainedAndNotCuredByAToken() {
        FakeChannel channel = new FakeChannel(reply(535, "5.7.139 Authentication unsuccessful, SmtpClientAuthentication"
                + " is disabled for the Tenant."));

        SmtpAuthenticationException e = catchThrowableOfType(SmtpAuthenticationException.class,
                () -> Authenticator.authenticate(channel, new XOAuth2("u", TokenProvider.of("tok")), false, "h:587"));

        assertThat(e.freshTokenMayHelp()).isFalse();
        assertThat(e.getMessage()).contains("SMTP AUTH is disabled for the tenant or the mailbox");
    }

    @Test
    void wellKnownRepliesCarryHints() {
        assertThat(failureMessage(reply(534, "5.7.9 Application-specific password required.")))
                .contains("application-specific password is required");
        assertThat(failureMessage(reply(550, "5.7.30 Basic authentication is not supported for Client Submission.")))
                .contains("basic authentication is not supported: use OAuth2");
        assertThat(failureMessage(reply(535, "Authentication failed"))).isEqualTo(
                "AUTH LOGIN rejected: 535 Authentication failed (h:587)");
    }

    private static String failureMessage(Reply refusal) {
        FakeChannel channel = new FakeChannel(reply(334, "VXNlcm5hbWU6"), reply(334, "UGFzc3dvcmQ6"), refusal);
        return catchThrowableOfType(SmtpAuthenticationException.class,
                () -> Authenticator.authenticate(channel, new Login("u", "p"::toCharArray), false, "h:587"))
                .getMessage();
    }

    @Test
    void temporaryRefusalIsTransient() {
        FakeChannel channel = new FakeChannel(reply(454, "4.7.0 Temporary authentication failure"));

        SmtpAuthenticationException e = catchThrowableOfType(SmtpAuthenticationException.class,
                () -> Authenticator.authenticate(channel, new Plain("u", "p"::toCharArray), false, "h:587"));

        assertThat(e.isTransient()).isTrue();
    }

    @Test
    void challengeThatIsNotBase64IsCancelledWithStar() {
        FakeChannel channel = new FakeChannel(reply(334, "not base64!\u001b[2J"),
                reply(501, "5.7.0 Authentication cancelled"));

        assertThatThrownBy(() -> Authenticator.authenticate(channel, new Login("u", "p"::toCharArray), false, "h:25"))
                .isInstanceOf(SmtpProtocolException.class)
                .hasMessageContaining("not base64").hasMessageContaining("\\x1B[2J").hasMessageNotContaining("\u001b");
        assertThat(channel.lines).containsExactly("AUTH LOGIN", "*");
    }

    @Test
    void unexpectedChallengeCancelsTheExchange() {
        FakeChannel channel = new FakeChannel(reply(334, b64("more?")), reply(501, "cancelled"));

        assertThatThrownBy(() -> Authenticator.authenticate(channel, new Plain("u", "p"::toCharArray), false, "h:25"))
                .isInstanceOf(SmtpProtocolException.class).hasMessageContaining("PLAIN expects no challenge");
        assertThat(channel.lines).hasSize(2).last().isEqualTo("*");
    }

    @Test
    void serverThatNeverStopsChallengingIsCancelled() {
        Reply[] replies = new Reply[Authenticator.MAX_CHALLENGES + 2];
        Arrays.fill(replies, reply(334, ""));
        FakeChannel channel = new FakeChannel(replies);
        SaslMechanism endless = new SaslMechanism() {
            @Override public String name() {
                return "X-ENDLESS";
            }

            @Override public Optional<byte[]> initialResponse() {
                return Optional.empty();
            }

            @Override public byte[] respond(byte[] challenge) {
                return new byte[] {'x'};
            }

            @Override public boolean usesToken() {
                return false;
            }
        };

        assertThatThrownBy(() -> Authenticator.authenticate(channel, endless, false, "h:25"))
                .isInstanceOf(SmtpProtocolException.class).hasMessageContaining("more than");
        assertThat(channel.lines).last().isEqualTo("*");
    }

    @Test
    void passwordSupplierFailureCancelsAndPropagates() {
        FakeChannel channel = new FakeChannel(reply(334, "VXNlcm5hbWU6"), reply(334, "UGFzc3dvcmQ6"),
                reply(501, "cancelled"));
        Login login = new Login("u", () -> {
            throw new IOException("vault is locked");
        });

        assertThatThrownBy(() -> Authenticator.authenticate(channel, login, false, "h:25"))
                .isNotInstanceOf(SmtpProtocolException.class).hasMessage("vault is locked");
        assertThat(channel.lines).containsExactly("AUTH LOGIN", b64("u"), "*");
    }

    @Test
    void unexpected3yzReplyIsAProtocolError() {
        FakeChannel channel = new FakeChannel(reply(354, "go ahead"));

        assertThatThrownBy(() -> Authenticator.authenticate(channel, new Plain("u", "p"::toCharArray), false, "h:25"))
                .isInstanceOf(SmtpProtocolException.class).hasMessageContaining("354 go ahead");
    }

    @Test
    void passwordCharactersAreClearedAfterTheExchange() throws IOException {
        char[] handedOut = "secret".toCharArray();
        FakeChannel channel = new FakeChannel(reply(235, "ok"));

        Authenticator.authenticate(channel, new Plain("u", () -> handedOut), false, "h:25");

        assertThat(handedOut).containsOnly('\0');
    }
}
