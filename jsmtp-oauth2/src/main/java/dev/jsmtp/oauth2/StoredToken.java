package dev.jsmtp.oauth2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jsmtp.AccessToken;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What jsmtp keeps of an OAuth2 sign-in (RFC 6749 sections 1.4-1.5): the refresh token, and the last access token
 * with its expiry so that short-lived commands need not refresh every time. Stored as a small JSON object;
 * {@link #toString()} shows no token.
 */
public record StoredToken(Optional<String> refreshToken, Optional<AccessToken> accessToken, Optional<String> scope) {

    public StoredToken {
        refreshToken = refreshToken == null ? Optional.empty() : refreshToken;
        accessToken = accessToken == null ? Optional.empty() : accessToken;
        scope = scope == null ? Optional.empty() : scope;
    }

    /** What a token response leaves to keep; a response without a refresh token keeps {@code previous}'s. */
    public static StoredToken from(TokenResponse response, Optional<String> previousRefreshToken) {
        return new StoredToken(response.refreshToken().or(() -> previousRefreshToken),
                Optional.of(response.accessToken()), response.scope());
    }

    /** The same sign-in without its access token (after the server refused that token). */
    public StoredToken withoutAccessToken() {
        return new StoredToken(refreshToken, Optional.empty(), scope);
    }

    /** The JSON form, one line. */
    public String toJson() {
        ObjectNode node = TokenEndpoint.JSON.createObjectNode();
        node.put("version", 1);
        refreshToken.ifPresent(t -> node.put("refresh_token", t));
        accessToken.ifPresent(t -> {
            node.put("access_token", t.value());
            t.expiresAt().ifPresent(e -> node.put("expires_at", e.toString()));
        });
        scope.ifPresent(s -> node.put("scope", s));
        return node.toString();
    }

    /** Reads {@link #toJson()}'s form; {@code source} names where it came from, for the error message. */
    public static StoredToken fromJson(String json, String source) throws IOException {
        JsonNode parsed;
        try {
            parsed = TokenEndpoint.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            parsed = null;
        }
        JsonNode node = parsed;
        if (node == null || !node.isObject()) {
            throw new IOException("The stored token in " + source + " is not a JSON object");
        }
        try {
            Optional<AccessToken> access = text(node, "access_token").map(v -> new AccessToken(v,
                    text(node, "expires_at").map(Instant::parse)));
            return new StoredToken(text(node, "refresh_token"), access, text(node, "scope"));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IOException("The stored token in " + source + " is malformed: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "StoredToken[refreshToken=" + (refreshToken.isPresent() ? "****" : "none") + ", accessToken="
                + accessToken.map(AccessToken::toString).orElse("none") + "]";
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isEmpty() ? Optional.empty()
                : Optional.of(value.asText());
    }
}
