package dev.jsmtp.oauth2;

import dev.jsmtp.AccessToken;
import dev.jsmtp.Escaping;
import dev.jsmtp.TokenProvider;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the {@code jsmtp oauth2} commands and {@code send} need from OAuth2 (RFC 6749): sign an account in, hand out
 * its access tokens, sign it out. The static methods use the system's browser, clock and HTTP client; an instance
 * from {@link #builder()} lets tests and embedders replace them.
 */
public final class OAuth2Login {

    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Browser browser;
    private final SecureRandom random;
    private final Duration loginTimeout;
    private final Duration margin;

    private OAuth2Login(Builder b) {
        this.http = b.http != null ? b.http : TokenEndpoint.defaultHttpClient();
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.browser = b.browser;
        this.random = b.random;
        this.loginTimeout = b.loginTimeout;
        this.margin = b.margin;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Signs the account in and stores the result (see {@link #signIn}). */
    public static void login(String account, Map<String, String> settings, PrintStream out, BufferedReader in)
            throws IOException {
        builder().build().signIn(account, OAuth2Settings.fromProperties(settings), out, in);
    }

    /** The token source for sending as the account (see {@link #provider}). */
    public static TokenProvider tokenProvider(String account, Map<String, String> settings) throws IOException {
        return builder().build().provider(account, OAuth2Settings.fromProperties(settings));
    }

    /** A valid access token for the account, refreshed if needed, for {@code jsmtp oauth2 token}. */
    public static AccessToken accessToken(String account, Map<String, String> settings) throws IOException {
        return tokenProvider(account, settings).token();
    }

    /**
     * Forgets the account's stored sign-in; false when none was stored. Only the token store keys are read, so no
     * secret command runs. The grant itself stays valid at the provider until revoked there.
     */
    public static boolean logout(String account, Map<String, String> settings) throws IOException {
        return store(Optional.ofNullable(settings.get(OAuth2Settings.TOKEN_STORE_CMD)).filter(s -> !s.isBlank()),
                Optional.ofNullable(settings.get(OAuth2Settings.TOKEN_DIR)).filter(s -> !s.isBlank()).map(Path::of))
                .delete(TokenStore.checkAccount(account));
    }

    /**
     * Signs in: the browser or device flow for a user (chosen by {@link OAuth2Settings#flow()}), then stores the
     * refresh token; for client credentials, fetches one token to prove the settings work and stores nothing.
     */
    public StoredToken signIn(String account, OAuth2Settings settings, PrintStream out, BufferedReader in)
            throws IOException {
        TokenStore.checkAccount(account);
        TokenEndpoint endpoint = TokenEndpoint.of(settings, http, clock);
        OAuth2Provider provider = settings.provider();
        if (provider.grant() == OAuth2Provider.Grant.CLIENT_CREDENTIALS) {
            TokenResponse response = endpoint.clientCredentials(settings.scopes());
            out.println("The client credentials work: " + TokenEndpoint.where(provider.tokenEndpoint())
                    + " issued a token" + response.accessToken().expiresAt().map(e -> " valid until " + e).orElse("")
                    + ". Nothing needs storing; jsmtp fetches tokens as it sends.");
            return new StoredToken(Optional.empty(), Optional.of(response.accessToken()), response.scope());
        }
        TokenResponse response = flow(settings, provider) == OAuth2Settings.Flow.DEVICE
                ? new DeviceAuthorizationFlow(endpoint, provider.deviceAuthorizationEndpoint().orElseThrow(),
                        settings.scopes(), clock, sleeper).run(out)
                : new AuthorizationCodeFlow(settings, endpoint, browser, random, loginTimeout).run(out, in);
        StoredToken stored = StoredToken.from(response, Optional.empty());
        TokenStore store = tokenStore(settings);
        store.save(account, stored);
        out.println("Signed in account \"" + Escaping.escape(account) + "\"; the sign-in is stored in "
                + store.location(account) + ".");
        if (response.refreshToken().isEmpty()) {
            out.println("Warning: " + TokenEndpoint.where(provider.tokenEndpoint()) + " issued no refresh token, so "
                    + "this sign-in ends when the access token expires"
                    + response.accessToken().expiresAt().map(e -> " (" + e + ")").orElse("") + ".");
        }
        return stored;
    }

    /** The account's token source: refreshes with the stored refresh token, or uses client credentials. */
    public TokenProvider provider(String account, OAuth2Settings settings) throws IOException {
        TokenStore.checkAccount(account);
        TokenEndpoint endpoint = TokenEndpoint.of(settings, http, clock);
        if (settings.provider().grant() == OAuth2Provider.Grant.CLIENT_CREDENTIALS) {
            return RefreshingTokenProvider.forClientCredentials(endpoint, settings.scopes(), clock, margin);
        }
        TokenStore store = tokenStore(settings);
        StoredToken stored = store.load(account).orElseThrow(() -> new OAuth2Exception("Account \""
                + Escaping.escape(account) + "\" has not signed in with OAuth2 (nothing in " + store.location(account)
                + "). " + OAuth2Exception.loginAgain(account).replace(" again.", " first."), "jsmtp_not_signed_in",
                Optional.empty(), true));
        return RefreshingTokenProvider.forRefreshToken(endpoint, account, stored, store, settings.scopes(), clock,
                margin);
    }

    /** Forgets the account's stored sign-in; false when none was stored. */
    public boolean signOut(String account, OAuth2Settings settings) throws IOException {
        return tokenStore(settings).delete(TokenStore.checkAccount(account));
    }

    /** The store these settings name: {@code token-store-cmd}, else files in the token directory. */
    public TokenStore tokenStore(OAuth2Settings settings) {
        return store(settings.tokenStoreCommand(), settings.tokenDirectory());
    }

    private static TokenStore store(Optional<String> command, Optional<Path> directory) {
        if (command.isPresent()) {
            return new CommandTokenStore(command.get());
        }
        return new FileTokenStore(directory.orElseGet(FileTokenStore::defaultDirectory));
    }

    private OAuth2Settings.Flow flow(OAuth2Settings settings, OAuth2Provider provider) throws OAuth2Exception {
        Optional<URI> device = provider.deviceAuthorizationEndpoint();
        Optional<URI> authorization = provider.authorizationEndpoint();
        switch (settings.flow()) {
            case DEVICE:
                if (device.isEmpty()) {
                    throw configuration("provider " + provider.name() + " offers no device sign-in"
                            + (provider.name().equals("google") ? " for the mail scope" : "")
                            + ": use " + OAuth2Settings.FLOW + " browser, or set " + OAuth2Settings.DEVICE_URL);
                }
                return OAuth2Settings.Flow.DEVICE;
            case BROWSER:
                if (authorization.isEmpty()) {
                    throw configuration("provider " + provider.name() + " has no authorization endpoint: set "
                            + OAuth2Settings.AUTH_URL);
                }
                return OAuth2Settings.Flow.BROWSER;
            default:
                // A browser here is the smoothest; without one, a device code beats copying addresses around.
                if (authorization.isPresent() && browser.available()) {
                    return OAuth2Settings.Flow.BROWSER;
                }
                if (device.isPresent()) {
                    return OAuth2Settings.Flow.DEVICE;
                }
                if (authorization.isPresent()) {
                    return OAuth2Settings.Flow.BROWSER;
                }
                throw configuration("provider " + provider.name() + " has neither an authorization nor a device "
                        + "endpoint: set " + OAuth2Settings.AUTH_URL + " or " + OAuth2Settings.DEVICE_URL);
        }
    }

    private static OAuth2Exception configuration(String message) {
        return new OAuth2Exception(message, OAuth2Exception.CLIENT_ERROR, Optional.empty(), false);
    }

    /** Replaces the system's clock, browser, HTTP client and waiting, for tests and embedders. */
    public static final class Builder {
        private HttpClient http;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.system();
        private Browser browser = Browser.system();
        private SecureRandom random = new SecureRandom();
        private Duration loginTimeout = AuthorizationCodeFlow.DEFAULT_TIMEOUT;
        private Duration margin = RefreshingTokenProvider.DEFAULT_MARGIN;

        private Builder() {
        }

        public Builder httpClient(HttpClient value) {
            this.http = Objects.requireNonNull(value);
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        public Builder sleeper(Sleeper value) {
            this.sleeper = Objects.requireNonNull(value);
            return this;
        }

        public Builder browser(Browser value) {
            this.browser = Objects.requireNonNull(value);
            return this;
        }

        public Builder random(SecureRandom value) {
            this.random = Objects.requireNonNull(value);
            return this;
        }

        public Builder loginTimeout(Duration value) {
            this.loginTimeout = Objects.requireNonNull(value);
            return this;
        }

        public Builder refreshMargin(Duration value) {
            this.margin = Objects.requireNonNull(value);
            return this;
        }

        public OAuth2Login build() {
            return new OAuth2Login(this);
        }
    }
}
