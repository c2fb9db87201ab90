package dev.jsmtp.oauth2;

import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthorizationCodeFlowTest {

    @TempDir
    Path tokens;

    private MockAuthorizationServer mock;
    private final HttpClient http = TokenEndpoint.defaultHttpClient();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @BeforeEach
    void start() throws IOException {
        mock = MockAuthorizationServer.startRotating();
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    private OAuth2Settings settings() throws IOException {
        return OAuth2Settings.fromProperties(mock.settings(tokens));
    }

    private AuthorizationCodeFlow flow(Browser browser) throws IOException {
        return new AuthorizationCodeFlow(settings(), TokenEndpoint.of(settings(), http, Clock.systemUTC()), browser,
                new SecureRandom(), Duration.ofSeconds(20));
    }

    @Test
    void signsInThroughTheLoopbackRedirectWithAVerifiedS256Challenge() throws IOException {
        PlayingBrowser browser = new PlayingBrowser();

        TokenResponse response = flow(browser).run(out, new BufferedReader(new StringReader("")));

        assertThat(response.refreshToken()).isPresent();
        assertThat(response.accessToken().expiresAt()).isPresent();
        assertThat(jwtIssuer(response.accessToken().value())).endsWith("/" + MockAuthorizationServer.ISSUER);
        // The browser came back to our loopback server on 127.0.0.1, which accepted the response.
        assertThat(browser.redirectedTo.getHost()).isEqualTo("127.0.0.1");
        assertThat(browser.redirectedTo.getPort()).isPositive();
        assertThat(browser.loopbackStatus).isEqualTo(200);

        List<RecordedRequest> requests = mock.takeRequests();
        assertThat(requests).hasSize(2);
        Map<String, String> authorization = MockAuthorizationServer.parse(
                requests.get(0).getRequestUrl().encodedQuery());
        Map<String, String> token = MockAuthorizationServer.form(requests.get(1));
        assertThat(authorization).containsEntry("response_type", "code")
                .containsEntry("client_id", MockAuthorizationServer.CLIENT_ID)
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", browser.redirectedTo.resolve("/").toString().replaceAll("\\?.*", ""))
                .containsKey("state");
        assertThat(token).containsEntry("grant_type", "authorization_code")
                .containsEntry("redirect_uri", authorization.get("redirect_uri"));
        String verifier = token.get("code_verifier");
        assertThat(verifier).hasSize(43);
        assertThat(authorization.get("code_challenge")).isEqualTo(Pkce.challengeOf(verifier));
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains(browser.opened.toString());
    }

    @Test
    void theServerRefusesACodeRedeemedWithTheWrongVerifier() throws IOException {
        // The same exchange jsmtp makes, but with a verifier that does not match the challenge that was sent.
        Pkce pkce = Pkce.generate(new SecureRandom());
        URI redirect = URI.create("http://127.0.0.1:9/");
        AuthorizationCodeFlow flow = flow(Browser.none());
        TokenEndpoint endpoint = TokenEndpoint.of(settings(), http, Clock.systemUTC());

        String code = codeFrom(PlayingBrowser.redirect(http,
                flow.authorizationUri(mock.authorizationEndpoint(), redirect, "s1", pkce)));
        String wrong = Pkce.generate(new SecureRandom()).verifier();
        assertThatThrownBy(() -> endpoint.authorizationCode(code, redirect, wrong))
                .isInstanceOfSatisfying(OAuth2Exception.class, e -> {
                    assertThat(e.error()).isEqualTo("invalid_grant");
                    assertThat(e.getMessage()).doesNotContain(code).doesNotContain(wrong);
                });

        String second = codeFrom(PlayingBrowser.redirect(http,
                flow.authorizationUri(mock.authorizationEndpoint(), redirect, "s2", pkce)));
        assertThat(endpoint.authorizationCode(second, redirect, pkce.verifier()).refreshToken()).isPresent();
    }

    @Test
    void aForgedRedirectWithAnotherStateIsRefusedAndTheRealOneStillCompletes() throws IOException {
        int[] statuses = new int[2];
        Browser raced = new Browser() {
            @Override
            public boolean available() {
                return true;
            }

            @Override
            public boolean open(URI uri) {
                URI real = PlayingBrowser.redirect(http, uri);
                // Another local page fires a redirect with its own code first (RFC 6749 section 10.12).
                URI forged = URI.create(real.toString().replaceAll("state=[^&]*", "state=forged")
                        .replaceAll("code=[^&]*", "code=attacker-code"));
                statuses[0] = PlayingBrowser.get(http, forged).statusCode();
                statuses[1] = PlayingBrowser.get(http, real).statusCode();
                return true;
            }
        };

        TokenResponse response = flow(raced).run(out, new BufferedReader(new StringReader("")));

        assertThat(statuses).containsExactly(400, 200);
        assertThat(response.refreshToken()).isPresent();
        List<RecordedRequest> requests = mock.takeRequests();
        assertThat(MockAuthorizationServer.form(requests.get(requests.size() - 1)).get("code"))
                .isNotEqualTo("attacker-code");
    }

    @Test
    void withNoAnswerTheSignInEndsAfterTheTimeout() throws IOException {
        AuthorizationCodeFlow flow = new AuthorizationCodeFlow(settings(),
                TokenEndpoint.of(settings(), http, Clock.systemUTC()), Browser.none(), new SecureRandom(),
                Duration.ofMillis(300));

        assertThatThrownBy(() -> flow.run(out, new BufferedReader(new StringReader(""))))
                .isInstanceOfSatisfying(OAuth2Exception.class, e -> assertThat(e.error()).isEqualTo("timeout"));
    }

    @Test
    void anErrorResponseFromTheAuthorizationServerIsReportedWithItsCode() throws IOException {
        PlayingBrowser denying = new PlayingBrowser(u -> URI.create(u.toString()
                .replaceAll("code=[^&]*", "error=access_denied&error_description=The+user+said+no%0D%0AFake-Line")));

        assertThatThrownBy(() -> flow(denying).run(out, new BufferedReader(new StringReader(""))))
                .isInstanceOfSatisfying(OAuth2Exception.class, e -> {
                    assertThat(e.error()).isEqualTo("access_denied");
                    assertThat(e.getMessage()).contains("access_denied (The user said no\\r\\nFake-Line)")
                            .doesNotContain("\r");
                });
        assertThat(denying.loopbackStatus).isEqualTo(200);
    }

    @Test
    void withoutABrowserThePastedRedirectAddressCompletesTheSignIn() throws Exception {
        PipedWriter keyboard = new PipedWriter();
        BufferedReader in = new BufferedReader(new PipedReader(keyboard));
        AddressWatcher watcher = new AddressWatcher();
        PrintStream screen = new PrintStream(watcher, true, StandardCharsets.UTF_8);

        CompletableFuture<TokenResponse> signIn = CompletableFuture.supplyAsync(() -> {
            try {
                return flow(Browser.none()).run(screen, in);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // The person opens the printed address on another machine, whose browser cannot reach our loopback port.
        URI address = watcher.address.get(10, TimeUnit.SECONDS);
        URI redirectedTo = PlayingBrowser.redirect(http, address);
        keyboard.write(redirectedTo.toString().replaceAll("state=[^&]*", "state=other") + "\n");
        keyboard.write("  " + redirectedTo + "  \n");
        keyboard.flush();

        TokenResponse response = signIn.get(20, TimeUnit.SECONDS);
        assertThat(response.refreshToken()).isPresent();
        assertThat(watcher.text()).contains("paste it here")
                .contains("Not accepted: that address belongs to another sign-in");
    }

    @Test
    void aBusyFixedRedirectPortIsReportedAsSuch() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Map<String, String> keys = new HashMap<>(mock.settings(tokens));
            keys.put("oauth2-redirect-port", String.valueOf(taken.getLocalPort()));
            OAuth2Settings fixed = OAuth2Settings.fromProperties(keys);
            AuthorizationCodeFlow flow = new AuthorizationCodeFlow(fixed, TokenEndpoint.of(fixed, http,
                    Clock.systemUTC()), new PlayingBrowser(), new SecureRandom(), Duration.ofSeconds(5));

            assertThatThrownBy(() -> flow.run(out, new BufferedReader(new StringReader(""))))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("could not listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    private static String codeFrom(URI redirect) {
        return MockAuthorizationServer.parse(redirect.getRawQuery()).get("code");
    }

    private static String jwtIssuer(String jwt) {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"iss\"\\s*:\\s*\"([^\"]+)\"").matcher(payload);
        assertThat(m.find()).as("iss claim in %s", payload).isTrue();
        return m.group(1);
    }

    /** A terminal that notices the authorization address being printed. */
    private static final class AddressWatcher extends OutputStream {
        private final ByteArrayOutputStream all = new ByteArrayOutputStream();
        final CompletableFuture<URI> address = new CompletableFuture<>();

        @Override
        public synchronized void write(int b) {
            all.write(b);
            String text = text();
            Optional<String> line = text.substring(0, text.lastIndexOf('\n') + 1).lines().filter(l -> l.startsWith("http") && l.contains("code_challenge"))
                    .findFirst();
            line.ifPresent(l -> address.complete(URI.create(l.strip())));
        }

        synchronized String text() {
            return all.toString(StandardCharsets.UTF_8);
        }
    }
}
