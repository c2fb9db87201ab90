package dev.jsmtp.oauth2;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the token endpoint client reads answers that are not the happy path, from a server on loopback. */
class TokenEndpointTest {

    private final SteppedClock clock = new SteppedClock(Instant.parse("2026-03-01T12:00:00Z"));
    private HttpServer server;
    private volatile int status;
    private volatile byte[] body;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private TokenEndpoint endpoint() {
        return new TokenEndpoint(TokenEndpoint.defaultHttpClient(),
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token"), "c",
                Optional.of("client-secret-value"), clock);
    }

    private void answer(int code, String text) {
        status = code;
        body = text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void expiresInAsAStringIsReadAsSecondsFromNow() throws IOException {
        answer(200, "{\"access_token\":\"at\",\"token_type\":\"bearer\",\"expires_in\":\"3599\"}");

        TokenResponse r = endpoint().clientCredentials(List.of());

        assertThat(r.accessToken().expiresAt()).contains(clock.instant().plusSeconds(3599));
        assertThat(r.refreshToken()).isEmpty();
    }

    @Test
    void aTokenThatIsNotABearerTokenIsRefused() {
        answer(200, "{\"access_token\":\"at\",\"token_type\":\"mac\"}");

        assertThatThrownBy(() -> endpoint().clientCredentials(List.of())).isInstanceOf(OAuth2Exception.class)
                .hasMessageContaining("token_type \"mac\"");
    }

    @Test
    void aSuccessBodyThatIsNotJsonIsNeverEchoed() {
        answer(200, "access_token=secret-at&token_type=bearer");

        assertThatThrownBy(() -> endpoint().clientCredentials(List.of())).isInstanceOf(OAuth2Exception.class)
                .hasMessageContaining("not a JSON object").hasMessageNotContaining("secret-at");
    }

    @Test
    void anHttpFailureWithoutAnOAuth2ErrorNamesTheStatus() {
        answer(503, "<html>maintenance</html>");

        assertThatThrownBy(() -> endpoint().refresh("rt-secret", List.of()))
                .isInstanceOfSatisfying(OAuth2Exception.class, e -> {
                    assertThat(e.error()).isEqualTo("http_503");
                    assertThat(e.getMessage()).contains("HTTP status 503").doesNotContain("rt-secret")
                            .doesNotContain("client-secret-value");
                });
    }

    @Test
    void aHostileErrorDescriptionIsEscapedAndCutShort() {
        answer(400, "{\"error\":\"invalid_client\",\"error_description\":\"bad\\u001b[31m" + "x".repeat(1000)
                + "\"}");

        assertThatThrownBy(() -> endpoint().clientCredentials(List.of()))
                .isInstanceOfSatisfying(OAuth2Exception.class, e -> {
                    assertThat(e.error()).isEqualTo("invalid_client");
                    assertThat(e.getMessage()).doesNotContain("\u001b").contains("bad\\x1B[31m")
                            .hasSizeLessThan(500);
                });
    }

    @Test
    void anOversizedAnswerIsRefused() {
        answer(200, "{\"access_token\":\"" + "a".repeat(300 * 1024) + "\"}");

        assertThatThrownBy(() -> endpoint().clientCredentials(List.of())).isInstanceOf(OAuth2Exception.class)
                .hasMessageContaining("more than 256 KiB");
    }

    @Test
    void anUnreachableEndpointIsNamed() throws IOException {
        int port = server.getAddress().getPort();
        server.stop(0);

        assertThatThrownBy(() -> endpoint().clientCredentials(List.of())).isInstanceOf(IOException.class)
                .hasMessageContaining("could not reach http://127.0.0.1:" + port + "/token");
        start();
    }
}
