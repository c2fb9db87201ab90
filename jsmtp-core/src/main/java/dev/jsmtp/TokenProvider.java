package dev.jsmtp;

import java.io.IOException;

/**
 * Supplies OAuth2 access tokens (RFC 6749) for XOAUTH2 and OAUTHBEARER (RFC 7628): a valid token for each new
 * connection, cached until shortly before it expires and refreshed as needed. Implementations are thread-safe.
 */
public interface TokenProvider {

    /** A token that is valid now, fetching or refreshing one when the cached one is missing or about to expire. */
    AccessToken token() throws IOException;

    /**
     * Tells the provider the server refused {@code rejected}: the next {@link #token()} must not return it.
     * The transport layer calls this once, then authenticates again on a new connection.
     */
    default void invalidate(AccessToken rejected) {
    }

    /** A provider that always returns the same token (for tokens obtained elsewhere, e.g. a command's output). */
    static TokenProvider of(String accessToken) {
        AccessToken token = AccessToken.of(accessToken);
        return () -> token;
    }
}
