package dev.jsmtp.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jsmtp.Escaping;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The device authorization grant (RFC 8628): asks for a user code, tells the person where to enter it, then polls
 * the token endpoint at the server's {@code interval}, five seconds slower after each {@code slow_down}, until the
 * person signs in, declines ({@code access_denied}) or the code expires ({@code expired_token}).
 */
public final class DeviceAuthorizationFlow {

    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    private static final Duration SLOW_DOWN = Duration.ofSeconds(5);
    private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);

    private final TokenEndpoint tokens;
    private final URI deviceEndpoint;
    private final List<String> scopes;
    private final Clock clock;
    private final Sleeper sleeper;

    public DeviceAuthorizationFlow(TokenEndpoint tokens, URI deviceEndpoint, List<String> scopes, Clock clock,
            Sleeper sleeper) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.deviceEndpoint = Objects.requireNonNull(deviceEndpoint, "deviceEndpoint");
        this.scopes = List.copyOf(scopes);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Runs the sign-in, printing the verification address and user code on {@code out}. */
    public TokenResponse run(PrintStream out) throws IOException {
        JsonNode authorization = tokens.post(deviceEndpoint,
                scopes.isEmpty() ? Map.of() : Map.of("scope", String.join(" ", scopes)), "device authorization");
        String deviceCode = required(authorization, "device_code");
        String userCode = required(authorization, "user_code");
        // RFC 8628 says verification_uri; Google's older endpoint said verification_url.
        String verification = authorization.hasNonNull("verification_uri") ? required(authorization, "verification_uri")
                : required(authorization, "verification_url");
        Duration interval = seconds(authorization, "interval").orElse(DEFAULT_INTERVAL);
        Instant deadline = clock.instant().plus(seconds(authorization, "expires_in").orElse(DEFAULT_LIFETIME));

        out.println("To sign in, open " + Escaping.escape(verification) + " on any device and enter the code "
                + Escaping.escape(userCode));
        if (authorization.hasNonNull("verification_uri_complete")) {
            out.println("(or open " + Escaping.escape(authorization.get("verification_uri_complete").asText())
                    + ", which has the code in it)");
        }
        out.println("Waiting for the sign-in to finish...");
        out.flush();

        while (true) {
            try {
                sleeper.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the device sign-in", e);
            }
            if (!clock.instant().isBefore(deadline)) {
                throw expired(Optional.empty());
            }
            try {
                return tokens.deviceCode(deviceCode);
            } catch (OAuth2Exception e) {
                switch (e.error()) {
                    case "authorization_pending":
                        break;
                    case "slow_down":
                        interval = interval.plus(SLOW_DOWN);
                        break;
                    case "expired_token":
                        throw expired(e.description());
                    case "access_denied":
                        throw new OAuth2Exception("The sign-in was declined at " + Escaping.escape(verification)
                                + ": " + OAuth2Exception.describe(e.error(), e.description()), e.error(),
                                e.description(), false, e);
                    default:
                        throw e;
                }
            }
        }
    }

    private OAuth2Exception expired(Optional<String> description) {
        return new OAuth2Exception("The device code expired before the sign-in was finished: "
                + OAuth2Exception.describe("expired_token", description) + ". Start the login again.",
                "expired_token", description, false);
    }

    private String required(JsonNode json, String field) throws OAuth2Exception {
        JsonNode node = json.get(field);
        if (node == null || !node.isTextual() || node.asText().isEmpty()) {
            throw new OAuth2Exception("The device authorization response from " + TokenEndpoint.where(deviceEndpoint)
                    + " has no " + field, OAuth2Exception.CLIENT_ERROR, Optional.empty(), false);
        }
        return node.asText();
    }

    private static Optional<Duration> seconds(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || !(node.isNumber() || node.isTextual())) {
            return Optional.empty();
        }
        try {
            long value = node.isNumber() ? node.asLong() : Long.parseLong(node.asText().strip());
            return value > 0 ? Optional.of(Duration.ofSeconds(value)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
