package dev.jsmtp;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** An OAuth2 bearer token (RFC 6750) for XOAUTH2 or OAUTHBEARER; {@link #toString()} never shows the value. */
public record AccessToken(String value, Optional<Instant> expiresAt) {

    public AccessToken {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty access token");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("access token contains a space, control or non-ASCII character");
            }
        }
        expiresAt = expiresAt == null ? Optional.empty() : expiresAt;
    }

    /** A token with no known expiry. */
    public static AccessToken of(String value) {
        return new AccessToken(value, Optional.empty());
    }

    @Override
    public String toString() {
        return "AccessToken[****" + expiresAt.map(e -> ", expires " + e).orElse("") + "]";
    }
}
