package dev.jsmtp.oauth2;

import dev.jsmtp.AccessToken;
import dev.jsmtp.Escaping;
import dev.jsmtp.TokenProvider;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Supplies OAuth2 access tokens (RFC 6749) for XOAUTH2 and OAUTHBEARER: caches the token until shortly before it
 * expires, then gets a new one with the refresh token grant (section 6), keeping a rotated refresh token in the
 * {@link TokenStore}, or with the client credentials grant (section 4.4). {@link #invalidate} drops a token the mail
 * server refused so the next call fetches a new one. Thread-safe: concurrent callers share one refresh.
 */
public final class RefreshingTokenProvider implements TokenProvider {

    /** How long before expiry a token is renewed, so it does not expire between fetching and AUTH. */
    public static final Duration DEFAULT_MARGIN = Duration.ofSeconds(60);

    private final TokenEndpoint endpoint;
    private final List<String> scopes;
    private final Clock clock;
    private final Duration margin;
    private final boolean clientCredentials;
    private final String account;
    private final TokenStore store;
    private final Object lock = new Object();

    private String refreshToken;
    private Optional<String> scope;
    private AccessToken cached;
    private Instant cachedAt;

    private RefreshingTokenProvider(TokenEndpoint endpoint, List<String> scopes, Clock clock, Duration margin,
            boolean clientCredentials, String account, TokenStore store, StoredToken stored) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.scopes = List.copyOf(scopes);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.margin = Objects.requireNonNull(margin, "margin");
        this.clientCredentials = clientCredentials;
        this.account = account;
        this.store = store;
        this.refreshToken = stored.refreshToken().orElse(null);
        this.scope = stored.scope();
        this.cached = stored.accessToken().orElse(null);
        this.cachedAt = null;
    }

    /**
     * A provider for a signed-in account: starts from {@code stored} (its access token is used while fresh) and
     * writes every refreshed token back to {@code store}.
     */
    public static RefreshingTokenProvider forRefreshToken(TokenEndpoint endpoint, String account, StoredToken stored,
            TokenStore store, List<String> scopes, Clock clock, Duration margin) {
        Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(store, "store");
        return new RefreshingTokenProvider(endpoint, scopes, clock, margin, false, TokenStore.checkAccount(account),
                store, stored);
    }

    /** A provider for the application itself (client credentials); nothing is stored. */
    public static RefreshingTokenProvider forClientCredentials(TokenEndpoint endpoint, List<String> scopes,
            Clock clock, Duration margin) {
        return new RefreshingTokenProvider(endpoint, scopes, clock, margin, true, null, null,
                new StoredToken(Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Override
    public AccessToken token() throws IOException {
        synchronized (lock) {
            if (cached != null && fresh(cached)) {
                return cached;
            }
            cached = null;
            TokenResponse response = clientCredentials ? endpoint.clientCredentials(scopes) : refresh();
            cached = response.accessToken();
            cachedAt = clock.instant();
            return cached;
        }
    }

    @Override
    public void invalidate(AccessToken rejected) {
        synchronized (lock) {
            // Only the token that was refused: another thread may already hold a newer one.
            if (cached != null && rejected != null && cached.value().equals(rejected.value())) {
                cached = null;
            }
        }
    }

    private TokenResponse refresh() throws IOException {
        if (refreshToken == null) {
            throw new OAuth2Exception("The sign-in stored for account \"" + Escaping.escape(account)
                    + "\" has no refresh token, and its access token has expired. "
                    + OAuth2Exception.loginAgain(account), "jsmtp_no_refresh_token", Optional.empty(), true);
        }
        TokenResponse response;
        try {
            response = endpoint.refresh(refreshToken, scopes);
        } catch (OAuth2Exception e) {
            if (e.error().equals("invalid_grant")) {
                throw new OAuth2Exception("The sign-in of account \"" + Escaping.escape(account)
                        + "\" is no longer valid: " + TokenEndpoint.where(endpoint.endpoint())
                        + " refused its refresh token with " + OAuth2Exception.describe(e.error(), e.description())
                        + ". The token was revoked, expired or replaced (a password change does that). "
                        + OAuth2Exception.loginAgain(account), e.error(), e.description(), true, e);
            }
            throw e;
        }
        // Servers that rotate refresh tokens invalidate the old one: the new one must be kept before anything else.
        refreshToken = response.refreshToken().orElse(refreshToken);
        scope = response.scope().or(() -> scope);
        try {
            store.save(account, new StoredToken(Optional.of(refreshToken), Optional.of(response.accessToken()),
                    scope));
        } catch (IOException e) {
            throw new IOException("Got a new token for account \"" + Escaping.escape(account)
                    + "\" but could not store it in " + store.location(account) + ": " + e.getMessage(), e);
        }
        return response;
    }

    private boolean fresh(AccessToken token) {
        if (token.expiresAt().isEmpty()) {
            return true;
        }
        Instant expiresAt = token.expiresAt().get();
        Duration lead = margin;
        if (cachedAt != null) {
            // A token that lives less than twice the margin is renewed halfway through its life instead.
            Duration lifetime = Duration.between(cachedAt, expiresAt);
            if (lifetime.compareTo(margin.multipliedBy(2)) < 0) {
                lead = lifetime.dividedBy(2);
            }
        }
        return clock.instant().plus(lead).isBefore(expiresAt);
    }
}
