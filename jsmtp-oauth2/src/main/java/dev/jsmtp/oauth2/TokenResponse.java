package dev.jsmtp.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jsmtp.AccessToken;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A successful access token response (RFC 6749 section 5.1): the bearer token, when it expires, and the refresh
 * token when the server issued one. {@link #toString()} shows neither token.
 */
public record TokenResponse(AccessToken accessToken, Optional<String> refreshToken, Optional<String> scope) {

    public TokenResponse {
        Objects.requireNonNull(accessToken, "accessToken");
        refreshToken = refreshToken == null ? Optional.empty() : refreshToken;
        scope = scope == null ? Optional.empty() : scope;
    }

    /** Reads a token response; {@code now} turns {@code expires_in} into an instant. */
    static TokenResponse parse(JsonNode json, Instant now, URI endpoint, String grant) throws OAuth2Exception {
        JsonNode token = json.get("access_token");
        if (token == null || !token.isTextual() || token.asText().isEmpty()) {
            throw malformed(endpoint, grant, "has no access_token");
        }
        JsonNode type = json.get("token_type");
        if (type != null && !type.asText().toLowerCase(Locale.ROOT).equals("bearer")) {
            throw malformed(endpoint, grant, "has token_type \"" + dev.jsmtp.Escaping.escape(type.asText())
                    + "\", but SMTP needs a bearer token (RFC 6750)");
        }
        Optional<Instant> expiresAt = Optional.empty();
        JsonNode expiresIn = json.get("expires_in");
        if (expiresIn != null && !expiresIn.isNull()) {
            // Some servers send the number as a string; both mean seconds from now.
            long seconds;
            try {
                seconds = expiresIn.isNumber() ? expiresIn.asLong() : Long.parseLong(expiresIn.asText().strip());
            } catch (NumberFormatException e) {
                throw malformed(endpoint, grant, "has an expires_in that is not a number");
            }
            if (seconds < 0) {
                throw malformed(endpoint, grant, "has a negative expires_in");
            }
            expiresAt = Optional.of(now.plusSeconds(seconds));
        }
        AccessToken accessToken;
        try {
            accessToken = new AccessToken(token.asText(), expiresAt);
        } catch (IllegalArgumentException e) {
            throw malformed(endpoint, grant, "has an access_token that is not a bearer token: " + e.getMessage());
        }
        return new TokenResponse(accessToken, text(json, "refresh_token"), text(json, "scope"));
    }

    @Override
    public String toString() {
        return "TokenResponse[" + accessToken + ", refreshToken=" + (refreshToken.isPresent() ? "****" : "none")
                + scope.map(s -> ", scope=" + s).orElse("") + "]";
    }

    private static Optional<String> text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || !node.isTextual() || node.asText().isEmpty() ? Optional.empty()
                : Optional.of(node.asText());
    }

    private static OAuth2Exception malformed(URI endpoint, String grant, String problem) {
        return new OAuth2Exception("The " + grant + " response from " + TokenEndpoint.where(endpoint) + " " + problem,
                OAuth2Exception.CLIENT_ERROR, Optional.empty(), false);
    }
}
