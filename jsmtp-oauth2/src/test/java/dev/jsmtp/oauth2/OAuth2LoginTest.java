package dev.jsmtp.oauth2;

import dev.jsmtp.AccessToken;
import dev.jsmtp.TokenProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OAuth2LoginTest {

    @TempDir
    Path tokens;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    private final BufferedReader noInput = new BufferedReader(new StringReader(""));
    private final SteppedClock clock = new SteppedClock(Instant.now());

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void loginStoresTheSignInThatSendAndTokenThenUseAndLogoutForgetsIt() throws IOException {
        try (MockAuthorizationServer mock = MockAuthorizationServer.startRotating()) {
            Map<String, String> keys = mock.settings(tokens);
            OAuth2Login login = OAuth2Login.builder().browser(new PlayingBrowser()).clock(clock).build();

            StoredToken stored = login.signIn("work", OAuth2Settings.fromProperties(keys), out, noInput);

            assertThat(tokens.resolve("work.json")).exists();
            assertThat(printed()).contains("Signed in account \"work\"").contains(tokens.resolve("work.json").toString());
            // What `jsmtp oauth2 token` prints: the stored token while it is fresh, without asking the server.
            AccessToken token = OAuth2Login.accessToken("work", keys);
            assertThat(token).isEqualTo(stored.accessToken().orElseThrow());
            TokenProvider forSend = OAuth2Login.tokenProvider("work", keys);
            assertThat(forSend).isInstanceOf(RefreshingTokenProvider.class);
            assertThat(forSend.token()).isEqualTo(token);

            assertThat(OAuth2Login.logout("work", keys)).isTrue();
            assertThat(OAuth2Login.logout("work", keys)).isFalse();
            assertThatThrownBy(() -> OAuth2Login.tokenProvider("work", keys))
                    .isInstanceOfSatisfying(OAuth2Exception.class, e -> {
                        assertThat(e.loginRequired()).isTrue();
                        assertThat(e.getMessage()).contains("has not signed in")
                                .contains("Run \"jsmtp oauth2 login --account work\" first.");
                    });
        }
    }

    @Test
    void withoutABrowserTheDeviceFlowIsChosenWhenTheProviderOffersIt() throws IOException {
        try (DeviceAuthorizationServer server = new DeviceAuthorizationServer(
                DeviceAuthorizationServer.deviceResponse("QWER-TYUI", 5, 900),
                List.of("authorization_pending", DeviceAuthorizationServer.SUCCESS))) {
            Map<String, String> keys = new HashMap<>();
            keys.put("oauth2-provider", "custom");
            keys.put("oauth2-client-id", "cli");
            keys.put("oauth2-auth-url", server.base().resolve("/authorize").toString());
            keys.put("oauth2-token-url", server.base().resolve("/token").toString());
            keys.put("oauth2-device-url", server.base().resolve("/device").toString());
            keys.put("oauth2-token-dir", tokens.toString());
            OAuth2Login login = OAuth2Login.builder().browser(Browser.none()).clock(clock).sleeper(clock::step).build();

            login.signIn("phone", OAuth2Settings.fromProperties(keys), out, noInput);

            assertThat(printed()).contains("QWER-TYUI");
            assertThat(new FileTokenStore(tokens).load("phone").orElseThrow().refreshToken()).contains("rt-device");
        }
    }

    @Test
    void clientCredentialsLoginChecksTheSecretAndStoresNothing() throws IOException {
        try (MockAuthorizationServer mock = MockAuthorizationServer.startRotating()) {
            Map<String, String> keys = new HashMap<>(mock.settings(tokens));
            keys.put("oauth2-grant", "client-credentials");
            keys.put("oauth2-client-secret", "app-secret");
            OAuth2Login login = OAuth2Login.builder().browser(Browser.none()).clock(clock).build();

            login.signIn("app", OAuth2Settings.fromProperties(keys), out, noInput);

            assertThat(printed()).contains("The client credentials work").doesNotContain("app-secret");
            try (var files = Files.list(tokens)) {
                assertThat(files).isEmpty();
            }
            assertThat(login.provider("app", OAuth2Settings.fromProperties(keys)).token().value()).isNotEmpty();
        }
    }

    @Test
    void googleHasNoDeviceFlowForMailAndSaysWhatToDoInstead() {
        Map<String, String> keys = Map.of("oauth2-provider", "google", "oauth2-client-id", "c",
                "oauth2-flow", "device", "oauth2-token-dir", tokens.toString());
        OAuth2Login login = OAuth2Login.builder().browser(Browser.none()).build();

        assertThatThrownBy(() -> login.signIn("g", OAuth2Settings.fromProperties(keys), out, noInput))
                .isInstanceOf(OAuth2Exception.class)
                .hasMessageContaining("google offers no device sign-in for the mail scope")
                .hasMessageContaining("oauth2-flow browser");
    }

    @Test
    void aLoginThatTimesOutLeavesNoStoredToken() throws IOException {
        try (MockAuthorizationServer mock = MockAuthorizationServer.startRotating()) {
            OAuth2Login login = OAuth2Login.builder().browser(Browser.none()).loginTimeout(Duration.ofMillis(300))
                    .build();

            assertThatThrownBy(() -> login.signIn("slow", OAuth2Settings.fromProperties(mock.settings(tokens)), out,
                    noInput)).isInstanceOfSatisfying(OAuth2Exception.class,
                            e -> assertThat(e.error()).isEqualTo("timeout"));
            assertThat(tokens.resolve("slow.json")).doesNotExist();
            assertThat(printed()).contains("Open this address in a browser");
        }
    }
}
