package dev.jsmtp.oauth2;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceAuthorizationFlowTest {

    private final SteppedClock clock = new SteppedClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<Duration> sleeps = new ArrayList<>();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    private DeviceAuthorizationServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    private TokenResponse run(String deviceResponse, String... replies) throws IOException {
        server = new DeviceAuthorizationServer(deviceResponse, List.of(replies));
        TokenEndpoint endpoint = new TokenEndpoint(TokenEndpoint.defaultHttpClient(),
                server.base().resolve("/token"), "device-client", Optional.empty(), clock);
        Sleeper sleeper = d -> {
            sleeps.add(d);
            clock.step(d);
        };
        return new DeviceAuthorizationFlow(endpoint, server.base().resolve("/device"), List.of("smtp", "offline"),
                clock, sleeper).run(out);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void pollsAtTheIntervalWhileAuthorizationIsPendingThenReturnsTheToken() throws IOException {
        TokenResponse response = run(DeviceAuthorizationServer.deviceResponse("WDJB-MJHT", 5, 900),
                "authorization_pending", "authorization_pending", DeviceAuthorizationServer.SUCCESS);

        assertThat(response.accessToken().value()).isEqualTo("at-device");
        assertThat(response.refreshToken()).contains("rt-device");
        assertThat(response.accessToken().expiresAt()).contains(clock.instant().plusSeconds(3600));
        assertThat(sleeps).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));
        assertThat(printed()).contains("https://example.org/device").contains("WDJB-MJHT");
        assertThat(server.deviceRequests).singleElement().satisfies(f -> assertThat(f)
                .containsEntry("client_id", "device-client").containsEntry("scope", "smtp offline"));
        assertThat(server.tokenRequests).hasSize(3).allSatisfy(f -> assertThat(f)
                .containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:device_code")
                .containsEntry("device_code", DeviceAuthorizationServer.DEVICE_CODE)
                .containsEntry("client_id", "device-client"));
    }

    @Test
    void slowDownAddsFiveSecondsToEveryLaterWait() throws IOException {
        run(DeviceAuthorizationServer.deviceResponse("ABCD", 3, 900), "authorization_pending", "slow_down",
                "authorization_pending", "slow_down", DeviceAuthorizationServer.SUCCESS);

        assertThat(sleeps).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(8),
                Duration.ofSeconds(8), Duration.ofSeconds(13));
    }

    @Test
    void withoutAnIntervalItWaitsFiveSeconds() throws IOException {
        run(DeviceAuthorizationServer.deviceResponse("ABCD", 0, 900), DeviceAuthorizationServer.SUCCESS);

        assertThat(sleeps).containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void anExpiredDeviceCodeEndsTheSignIn() {
        assertThatThrownBy(() -> run(DeviceAuthorizationServer.deviceResponse("ABCD", 5, 900),
                "authorization_pending", "expired_token"))
                .isInstanceOfSatisfying(OAuth2Exception.class, e -> {
                    assertThat(e.error()).isEqualTo("expired_token");
                    assertThat(e.getMessage()).contains("expired").contains("Start the login again");
                });
        assertThat(server.tokenRequests).hasSize(2);
    }

    @Test
    void aDeclinedSignInIsReportedAsAccessDenied() {
        assertThatThrownBy(() -> run(DeviceAuthorizationServer.deviceResponse("ABCD", 5, 900), "access_denied"))
                .isInstanceOfSatisfying(OAuth2Exception.class, e -> {
                    assertThat(e.error()).isEqualTo("access_denied");
                    assertThat(e.getMessage()).contains("declined").contains("scripted access_denied");
                });
    }

    @Test
    void stopsPollingOnceTheCodeHasExpiredEvenIfTheServerKeepsSayingPending() {
        assertThatThrownBy(() -> run(DeviceAuthorizationServer.deviceResponse("ABCD", 5, 12),
                "authorization_pending"))
                .isInstanceOfSatisfying(OAuth2Exception.class, e -> assertThat(e.error()).isEqualTo("expired_token"));
        // Polls at 5 s and 10 s; at 15 s the 12 s code is dead, so no third request.
        assertThat(server.tokenRequests).hasSize(2);
    }

    @Test
    void anUnexpectedErrorIsPassedOnWithItsCode() {
        assertThatThrownBy(() -> run(DeviceAuthorizationServer.deviceResponse("ABCD", 5, 900), "invalid_client"))
                .isInstanceOfSatisfying(OAuth2Exception.class, e -> {
                    assertThat(e.error()).isEqualTo("invalid_client");
                    assertThat(e.getMessage()).contains("/token refused the device_code request: invalid_client");
                });
    }

    @Test
    void aHostileUserCodeCannotDriveTheTerminal() throws IOException {
        run(DeviceAuthorizationServer.deviceResponse("AB\\u001b[2JCD", 5, 900), DeviceAuthorizationServer.SUCCESS);

        assertThat(printed()).doesNotContain("\u001b").contains("AB\\x1B[2JCD");
    }
}
