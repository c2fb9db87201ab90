package dev.jsmtp.transport;

import dev.jsmtp.AccessToken;
import dev.jsmtp.Credentials;
import dev.jsmtp.TokenProvider;

import java.io.IOException;

/**
 * Wraps an OAuth2 token provider (RFC 6749) to remember, per thread, the token it last handed out: a session is
 * opened and authenticated on one thread, so when its AUTH is refused that thread knows exactly which token the
 * server rejected and can invalidate that one, not a token another thread has just refreshed.
 */
final class TokenTracker implements TokenProvider {

    private final TokenProvider delegate;
    private final ThreadLocal<AccessToken> lastIssued = new ThreadLocal<>();

    TokenTracker(TokenProvider delegate) {
        this.delegate = delegate;
    }

    /** Credentials that authenticate through a tracker, or the same credentials when they are not OAuth2. */
    static Credentials track(Credentials credentials) {
        if (credentials instanceof Credentials.OAuth2 oauth && !(oauth.tokens() instanceof TokenTracker)) {
            return Credentials.oauth2(oauth.username(), new TokenTracker(oauth.tokens()));
        }
        return credentials;
    }

    @Override
    public AccessToken token() throws IOException {
        AccessToken token = delegate.token();
        lastIssued.set(token);
        return token;
    }

    @Override
    public void invalidate(AccessToken rejected) {
        delegate.invalidate(rejected);
    }

    /**
     * Invalidates the token this thread last used; true when another attempt can use a different token, false
     * when it used none or the provider offers the refused one again (a fixed token: trying it twice only adds a
     * second failed login to the account's record).
     */
    boolean invalidateLastOnThisThread() {
        AccessToken token = lastIssued.get();
        if (token == null) {
            return false;
        }
        lastIssued.remove();
        delegate.invalidate(token);
        try {
            return !delegate.token().value().equals(token.value());
        } catch (IOException e) {
            return true; // the next attempt asks again and reports why no token could be had
        }
    }
}
