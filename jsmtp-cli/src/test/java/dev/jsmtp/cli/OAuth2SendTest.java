package dev.jsmtp.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jsmtp send --account NAME} for an account signed in with {@code jsmtp oauth2 login}: XOAUTH2/OAUTHBEARER. */
class OAuth2SendTest {

    private static final String USER = "me@example.org";

    @TempDir
    Path home;

    private OAuth2CommandTest.Provider provider;
    private Path config;

    @BeforeEach
    void start() throws IOException {
        provider = OAuth2CommandTest.Provider.start();
        config = home.resolve("accounts");
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    private TestCli cli() {
        TestCli t = new TestCli(home);
        t.env.put(OAuth2Account.CLIENT_ID_ENV, OAuth2CommandTest.CLIENT_ID);
        return t;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String decoded(String b64) {
        return new String(Base64.getDecoder().decode(b64.strip()), StandardCharsets.UTF_8);
    }

    /** A server offering {@code mechanism} that accepts only the SASL response {@code expected} holds (any if none). */
    private static FakeSmtpServer server(String mechanism, AtomicReference<String> expected,
                                         List<String> responses) throws IOException {
        AtomicReference<FakeSmtpServer> self = new AtomicReference<>();
        FakeSmtpServer server = new FakeSmtpServer(line -> {
            String upper = line.toUpperCase();
            if (upper.startsWith("EHLO")) {
                return "250-fake.example.org\r\n250-ENHANCEDSTATUSCODES\r\n250 AUTH " + mechanism;
            }
            if (upper.equals("AUTH " + mechanism)) {
                return "334 ";
            }
            String response = null;
            if (upper.startsWith("AUTH " + mechanism + " ")) {
                response = line.substring(("AUTH " + mechanism + " ").length());
            } else if (line.equals("(auth-response)")) {
                List<String> received = self.get().received;
                response = received.get(received.size() - 1);
            }
            if (response != null) {
                responses.add(decoded(response));
                boolean good = expected.get() == null || decoded(response).equals(expected.get());
                return good ? "235 2.7.0 accepted" : "535 5.7.8 bad token";
            }
            return null;
        });
        self.set(server);
        return server;
    }

    /** Signs "work" in through the played browser and returns the token {@code jsmtp oauth2 token} prints. */
    private String signIn(FakeSmtpServer smtp) throws IOException {
        Files.writeString(config, provider.account("work", smtp.address()));
        TestCli login = cli();
        assertThat(OAuth2CommandTest.login(login, new OAuth2CommandTest.PlayingBrowser(), "login", "--account",
                "work", "--config", config.toString())).as(login.err()).isZero();
        TestCli token = cli();
        assertThat(token.run("oauth2", "token", "--account", "work", "--config", config.toString())).isZero();
        return token.out().strip();
    }

    private TestCli send(String... extra) {
        TestCli t = cli();
        List<String> args = new java.util.ArrayList<>(List.of("send", "--account", "work", "--config",
                config.toString(), "--to", "you@example.net", "--subject", "Hi", "--body", "Hello", "--timeout", "5"));
        args.addAll(List.of(extra));
        t.exit = t.run(args.toArray(String[]::new));
        return t;
    }

    @Test
    void sendCarriesTheSignedInTokenInXoauth2AndTheTranscriptNeverShowsIt() throws IOException {
        AtomicReference<String> expected = new AtomicReference<>();
        List<String> responses = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FakeSmtpServer smtp = server("XOAUTH2", expected, responses)) {
            String token = signIn(smtp);
            String payload = "user=" + USER + "\u0001auth=Bearer " + token + "\u0001\u0001";
            expected.set(payload);

            TestCli t = send("-v");

            assertThat(t.exit).as(t.err()).isZero();
            assertThat(responses).containsExactly(payload);
            assertThat(smtp.messages).hasSize(1);
            String everything = t.out() + t.err();
            assertThat(everything).contains("C: AUTH XOAUTH2").contains("S: 235")
                    .doesNotContain(token).doesNotContain(b64(payload)).doesNotContain(b64(token))
                    .doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        }
    }

    @Test
    void anExpiredAccessTokenIsRefreshedBeforeSendingAndTheNewOneStored() throws IOException {
        List<String> responses = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FakeSmtpServer smtp = server("XOAUTH2", new AtomicReference<>(), responses)) {
            String old = signIn(smtp);
            Path file = home.resolve(".config/jsmtp/tokens/work.json");
            Files.writeString(file, Files.readString(file).replaceAll("\"expires_at\"\\s*:\\s*\"[^\"]+\"",
                    "\"expires_at\":\"2001-01-01T00:00:00Z\""));
            provider.takeRequests();

            TestCli t = send();

            assertThat(t.exit).as(t.err()).isZero();
            assertThat(OAuth2CommandTest.Provider.form(provider.takeRequests().get(0)))
                    .containsEntry("grant_type", "refresh_token");
            String stored = Files.readString(file);
            String fresh = OAuth2CommandTest.Provider.field(stored, "access_token");
            assertThat(fresh).isNotEqualTo(old);
            assertThat(responses).containsExactly("user=" + USER + "\u0001auth=Bearer " + fresh + "\u0001\u0001");
        }
    }

    @Test
    void oauthbearerIsChosenWhenThatIsWhatTheServerOffers() throws IOException {
        AtomicReference<String> expected = new AtomicReference<>();
        List<String> responses = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FakeSmtpServer smtp = server("OAUTHBEARER", expected, responses)) {
            String token = signIn(smtp);
            TestCli t = send("-v");

            assertThat(responses).hasSize(1);
            // RFC 7628: a GS2 header naming the user, then the bearer token.
            assertThat(responses.get(0)).startsWith("n,a=" + USER + ",").contains("auth=Bearer " + token + "\u0001");
            assertThat(t.err()).contains("C: AUTH OAUTHBEARER").doesNotContain(token);
        }
    }

    @Test
    void withoutASignInSendStopsBeforeConnectingAndSaysHowToLogIn() throws IOException {
        List<String> responses = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FakeSmtpServer smtp = server("XOAUTH2", new AtomicReference<>(), responses)) {
            Files.writeString(config, provider.account("work", smtp.address()));

            TestCli t = send("-v");

            assertThat(t.exit).isEqualTo(77);
            assertThat(t.err().lines()).hasSize(1);
            assertThat(t.err()).startsWith("jsmtp: ").contains("jsmtp oauth2 login --account work");
            assertThat(smtp.received).isEmpty();
        }
    }

    @Test
    void aRefusedTokenIsRefreshedOnceThenAnAuthenticationFailureThatDoesNotShowIt() throws IOException {
        List<String> responses = new java.util.concurrent.CopyOnWriteArrayList<>();
        // The server expects some other token, as after a revocation the provider has not yet noticed.
        try (FakeSmtpServer smtp = server("XOAUTH2", new AtomicReference<>("not-this"), responses)) {
            String token = signIn(smtp);

            TestCli t = send();

            assertThat(t.exit).isEqualTo(77);
            // The transport drops the refused token, refreshes once and tries again on a new connection; when
            // the fresh token is refused too it gives up (issue #8: refresh once, then a clear error).
            assertThat(responses).hasSize(2);
            assertThat(responses.get(0)).contains("auth=Bearer " + token);
            assertThat(responses.get(1)).doesNotContain(token).contains("auth=Bearer ");
            assertThat(t.err()).contains("535").doesNotContain(token);
            assertThat(t.out()).isEmpty();
        }
    }
}
