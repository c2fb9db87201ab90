package dev.jsmtp.hostile;

import dev.jsmtp.testing.SendOnce;

import static dev.jsmtp.hostile.Hostile.ENVELOPE;
import static dev.jsmtp.hostile.Hostile.MESSAGE;
import static dev.jsmtp.hostile.Hostile.client;
import static dev.jsmtp.hostile.Hostile.fails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jsmtp.Credentials;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpAuthenticationException;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpException;
import dev.jsmtp.SmtpSecurityException;
import dev.jsmtp.TokenProvider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Hostile AUTH exchanges (RFC 4954, RFC 4616, RFC 7628): a server that refuses and then pretends success, asks
 * for more than the mechanism allows, or echoes what it was sent; cleartext AUTH only when allowed by name. The
 * password and tokens never appear in an exception (message, causes, stack trace) or transcript, in any encoding:
 * plain, base64, inside the PLAIN or XOAUTH2 blob, hex (CWE-532, CWE-209).
 */
class AuthAndSecretsTest {

    private static final String USER = "alice@example.org";
    private static final String PASSWORD = "Pa55-w0rd!hostile";
    private static final String TOKEN = "ya29.hostile-access-token-0123456789";

    private static final String PLAIN_BLOB = b64("\0" + USER + "\0" + PASSWORD);
    private static final String XOAUTH2_BLOB = b64("user=" + USER + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001");

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Every form in which a secret could leak. */
    private static List<String> forms(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        return List.of(secret, b64(secret), Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                HexFormat.of().formatHex(bytes), HexFormat.of().withUpperCase().formatHex(bytes),
                // base64 is position-dependent: the secret inside a blob shows as a core without the edges
                PLAIN_BLOB.substring(4, PLAIN_BLOB.length() - 4), XOAUTH2_BLOB.substring(8, XOAUTH2_BLOB.length() - 8));
    }

    private static void assertNoSecret(Throwable e, Hostile.Recorder transcript, String secret) {
        String printed = Hostile.everythingPrinted(e);
        String text = transcript.text();
        for (String form : forms(secret)) {
            assertThat(printed).as("exception leaks a form of the secret").doesNotContain(form);
            assertThat(text).as("transcript leaks a form of the secret").doesNotContain(form);
        }
    }

    private static void assertNoSecretInException(Throwable e, String secret) {
        String printed = Hostile.everythingPrinted(e);
        for (String form : forms(secret)) {
            assertThat(printed).as("exception leaks a form of the secret").doesNotContain(form);
        }
    }

    private static SmtpClient.Builder passwordClient(AdversarialServer server, Hostile.Recorder transcript) {
        return client(server).credentials(Credentials.password(USER, PASSWORD))
                .allowCleartextAuthenticationDangerously().transcript(transcript);
    }

    @Test
    @DisplayName("535 to AUTH, then the server pretends success (235, 250 …) → authentication error, no MAIL (RFC 4954 §6)")
    void refusedThenPretendsSuccess() throws Exception {
        Hostile.Recorder transcript = new Hostile.Recorder();
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("AUTH PLAIN", "8BITMIME");
            p.expect("AUTH");
            p.reply("535 5.7.8 Authentication credentials invalid", "235 2.7.0 Just kidding, you are in");
            p.serveTransactions();
        })) {
            SmtpException e = fails(() -> SendOnce.send(passwordClient(server, transcript), ENVELOPE, MESSAGE));
            assertThat(e).isInstanceOf(SmtpAuthenticationException.class).hasMessageContaining("535");
            server.awaitHandlers(Duration.ofSeconds(5));
            assertThat(server.peer().sawCommand("MAIL")).isFalse();
            assertNoSecret(e, transcript, PASSWORD);
        }
    }

    @Test
    @DisplayName("AUTH offered on a plaintext connection, cleartext not allowed → security error, no AUTH sent (RFC 4954 §4, RFC 8314 §3)")
    void cleartextAuthRefused() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("AUTH PLAIN LOGIN", "8BITMIME");
            p.serveTransactions();
        })) {
            SmtpException e = fails(() -> SendOnce.send(client(server).credentials(Credentials.password(USER, PASSWORD)), ENVELOPE, MESSAGE));
            assertThat(e).isInstanceOf(SmtpSecurityException.class).hasMessageContaining("unencrypted");
            server.awaitHandlers(Duration.ofSeconds(5));
            assertThat(server.peer().sawCommand("AUTH")).isFalse();
            assertThat(server.receivedText()).doesNotContain(PLAIN_BLOB).doesNotContain(PASSWORD);
        }
    }

    @Test
    @DisplayName("control: cleartext AUTH when explicitly allowed by name → AUTH PLAIN sent and the mail goes (RFC 4954)")
    void cleartextAuthAllowedByName() throws Exception {
        Hostile.Recorder transcript = new Hostile.Recorder();
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("AUTH PLAIN", "8BITMIME");
            p.expect("AUTH PLAIN " + PLAIN_BLOB);
            p.reply("235 2.7.0 OK");
            p.serveTransactions();
        })) {
            SendResult result = Hostile.succeeds(() -> SendOnce.send(passwordClient(server, transcript), ENVELOPE, MESSAGE));
            assertThat(result.finalReply().code()).isEqualTo(250);
            assertThat(transcript.text()).doesNotContain(PLAIN_BLOB).doesNotContain(PASSWORD);
        }
    }

    @Test
    @DisplayName("535 echoing the PLAIN blob → neither the error nor the transcript shows it (CWE-532)")
    void plainRefusedWithEcho() throws Exception {
        Hostile.Recorder transcript = new Hostile.Recorder();
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("AUTH PLAIN", "8BITMIME");
            p.expect("AUTH");
            p.reply("535 5.7.8 Bad credentials " + PLAIN_BLOB + " password " + PASSWORD);
            p.serveTransactions();
        })) {
            SmtpException e = fails(() -> SendOnce.send(passwordClient(server, transcript), ENVELOPE, MESSAGE));
            assertThat(e).isInstanceOf(SmtpAuthenticationException.class);
            assertNoSecret(e, transcript, PASSWORD);
        }
    }

    @Test
    @DisplayName("LOGIN refused after the password, the server echoing it in base64 → no secret in error or transcript (CWE-532)")
    void loginRefusedWithEcho() throws Exception {
        Hostile.Recorder transcript = new Hostile.Recorder();
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("AUTH LOGIN", "8BITMIME");
            p.expect("AUTH LOGIN");
            p.reply("334 VXNlcm5hbWU6");
            p.readLine();
            p.reply("334 UGFzc3dvcmQ6");
            String password = p.readLine();
            p.reply("535 5.7.8 wrong password: " + password);
            p.serveTransactions();
        })) {
            SmtpException e = fails(() -> SendOnce.send(passwordClient(server, transcript).authMechanism("LOGIN"), ENVELOPE, MESSAGE));
            assertThat(e).isInstanceOf(SmtpAuthenticationException.class);
            assertNoSecret(e, transcript, PASSWORD);
        }
    }

    @Test
    @DisplayName("malformed reply to AUTH quoting the PLAIN blob → protocol error without the secret (CWE-209)")
    void malformedReplyQuotingTheBlob() throws Exception {
        Hostile.Recorder transcript = new Hostile.Recorder();
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("AUTH PLAIN", "8BITMIME");
            p.expect("AUTH");
            p.reply("5x5 " + PLAIN_BLOB);
            p.awaitEof(Duration.ofSeconds(5));
        })) {
            SmtpException e = fails(() -> SendOnce.send(passwordClient(server, transcript), ENVELOPE, MESSAGE));
            assertNoSecret(e, transcript, PASSWORD);
        }
    }

    @Test
    @DisplayName("connection dropped or silent after the AUTH line → typed error without the secret (CWE-209)")
    void droppedAndSilentAfterAuth() throws Exception {
        for (boolean drop : new boolean[] {true, false}) {
            Hostile.Recorder transcript = new Hostile.Recorder();
            try (AdversarialServer server = AdversarialServer.start(p -> {
                p.greet();
                p.ehlo("AUTH PLAIN", "8BITMIME");
                p.expect("AUTH");
                if (drop) {
                    p.close();
                } else {
                    p.awaitEof(Duration.ofSeconds(10));
                }
            })) {
                SmtpException e = fails(() -> SendOnce.send(passwordClient(server, transcript).timeout(Duration.ofSeconds(1)), ENVELOPE, MESSAGE));
                assertThat(e.getMessage()).contains("AUTH");
                assertNoSecret(e, transcript, PASSWORD);
            }
        }
    }

    @Test
    @DisplayName("334 after the PLAIN initial response, forever → the client cancels once and fails, never resends the secret (RFC 4954 §4)")
    void endlessChallenges() throws Exception {
        Hostile.Recorder transcript = new Hostile.Recorder();
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("AUTH PLAIN", "8BITMIME");
            for (int i = 0; i < 50; i++) {
                p.readLine();
                p.reply("334 " + b64("more please " + i));
            }
            p.awaitEof(Duration.ofSeconds(5));
        })) {
            SmtpException e = fails(() -> SendOnce.send(passwordClient(server, transcript), ENVELOPE, MESSAGE));
            assertNoSecret(e, transcript, PASSWORD);
            server.awaitHandlers(Duration.ofSeconds(10));
            String sent = server.receivedText();
            assertThat(sent.split(PLAIN_BLOB, -1).length - 1).as("the PLAIN blob was sent once").isEqualTo(1);
            assertThat(server.peer().sawCommand("MAIL")).isFalse();
        }
    }

    @Test
    @DisplayName("XOAUTH2 refused with an error challenge echoing the token → no token in error or transcript (RFC 7628 §3.2.2)")
    void xoauth2RefusedWithEcho() throws Exception {
        Hostile.Recorder transcript = new Hostile.Recorder();
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("AUTH XOAUTH2", "8BITMIME");
            String line = p.expect("AUTH XOAUTH2");
            p.reply("334 " + b64("{\"status\":\"401\",\"schemes\":\"Bearer\",\"scope\":\"https://mail.google.com/\","
                    + "\"echo\":\"" + TOKEN + "\"}"));
            p.readLine();
            p.reply("535-5.7.8 Username and Password not accepted " + line.substring(13), "535 5.7.8 " + TOKEN);
            p.serveTransactions();
        })) {
            SmtpException e = fails(() -> SendOnce.send(client(server).credentials(Credentials.oauth2(USER, TokenProvider.of(TOKEN)))
                    .allowCleartextAuthenticationDangerously().transcript(transcript), ENVELOPE, MESSAGE));
            assertThat(e).isInstanceOf(SmtpAuthenticationException.class);
            assertNoSecret(e, transcript, TOKEN);
        }
    }
}
