package dev.jsmtp.oauth2;

import dev.jsmtp.AccessToken;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenRequest;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RefreshingTokenProviderTest {

    private static final Duration MARGIN = Duration.ofSeconds(60);

    @TempDir
    Path tokens;

    private MockAuthorizationServer mock;
    private final HttpClient http = TokenEndpoint.defaultHttpClient();
    private final SteppedClock clock = new SteppedClock(Instant.now());
    private OAuth2Settings settings;
    private FileTokenStore store;

    @BeforeEach
    void start() throws IOException {
        mock = MockAuthorizationServer.startRotating();
        settings = OAuth2Settings.fromProperties(mock.settings(tokens));
        store = new FileTokenStore(tokens);
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    private TokenEndpoint endpoint() {
        return TokenEndpoint.of(settings, http, clock);
    }

    /** A real sign-in at the mock, the way {@code jsmtp oauth2 login} gets its first refresh token. */
    private StoredToken signIn() throws IOException {
        TokenResponse response = new AuthorizationCodeFlow(settings, endpoint(), new PlayingBrowser(),
                new SecureRandom(), Duration.ofSeconds(20)).run(new PrintStream(new ByteArrayOutputStream()),
                new BufferedReader(new StringReader("")));
        StoredToken stored = StoredToken.from(response, Optional.empty());
        store.save("work", stored);
        mock.takeRequests();
        return stored;
    }

    private RefreshingTokenProvider provider(StoredToken stored) {
        return RefreshingTokenProvider.forRefreshToken(endpoint(), "work", stored, store, settings.scopes(), clock,
                MARGIN);
    }

    @Test
    void usesTheCachedTokenUntilAMinuteBeforeExpiryThenRefreshesAndKeepsTheRotatedRefreshToken() throws IOException {
        StoredToken stored = signIn();
        AccessToken first = stored.accessToken().orElseThrow();
        Instant expiry = first.expiresAt().orElseThrow();
        RefreshingTokenProvider provider = provider(stored);

        assertThat(provider.token()).isEqualTo(first);
        clock.step(Duration.between(clock.instant(), expiry).minus(MARGIN).minusSeconds(1));
        assertThat(provider.token()).isEqualTo(first);
        assertThat(mock.takeRequests()).isEmpty();

        clock.step(Duration.ofSeconds(2));
        AccessToken second = provider.token();
        assertThat(second.value()).isNotEqualTo(first.value());
        assertThat(second.expiresAt().orElseThrow()).isAfter(clock.instant().plus(MARGIN));
        List<RecordedRequest> requests = mock.takeRequests();
        assertThat(requests).hasSize(1);
        Map<String, String> form = MockAuthorizationServer.form(requests.get(0));
        assertThat(form).containsEntry("grant_type", "refresh_token")
                .containsEntry("refresh_token", stored.refreshToken().orElseThrow())
                .containsEntry("client_id", MockAuthorizationServer.CLIENT_ID);

        StoredToken kept = store.load("work").orElseThrow();
        assertThat(kept.refreshToken()).isPresent().isNotEqualTo(stored.refreshToken());
        assertThat(kept.accessToken()).contains(second);

        // The next refresh presents the rotated refresh token, not the one the server has retired.
        clock.step(Duration.ofHours(2));
        provider.token();
        assertThat(MockAuthorizationServer.form(mock.takeRequests().get(0)))
                .containsEntry("refresh_token", kept.refreshToken().orElseThrow());
    }

    @Test
    void aShortLivedTokenIsRenewedHalfwayThroughItsLife() throws IOException {
        // The mock keeps the callback with the refresh token, so every token of this sign-in lives 30 seconds.
        mock.server.enqueueCallback(new DefaultOAuth2TokenCallback(MockAuthorizationServer.ISSUER, "someone",
                "JWT", List.of("smtp"), Map.of(), 30L));
        StoredToken stored = signIn();
        AccessToken first = stored.accessToken().orElseThrow();
        assertThat(Duration.between(clock.instant(), first.expiresAt().orElseThrow()))
                .isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30));
        RefreshingTokenProvider provider = provider(stored.withoutAccessToken());

        AccessToken shortLived = provider.token();
        assertThat(mock.takeRequests()).hasSize(1);
        clock.step(Duration.ofSeconds(10));
        assertThat(provider.token()).isEqualTo(shortLived);
        assertThat(mock.takeRequests()).isEmpty();

        clock.step(Duration.ofSeconds(10));
        assertThat(provider.token().value()).isNotEqualTo(shortLived.value());
        assertThat(mock.takeRequests()).hasSize(1);
    }

    @Test
    void invalidateDropsOnlyTheTokenTheMailServerRefused() throws IOException {
        RefreshingTokenProvider provider = provider(signIn());
        AccessToken first = provider.token();

        provider.invalidate(AccessToken.of("some-older-token"));
        assertThat(provider.token()).isEqualTo(first);
        assertThat(mock.takeRequests()).isEmpty();

        provider.invalidate(first);
        AccessToken second = provider.token();
        assertThat(second.value()).isNotEqualTo(first.value());
        assertThat(mock.takeRequests()).hasSize(1);
    }

    @Test
    void aRevokedRefreshTokenTellsTheUserToLogInAgain() throws Exception {
        StoredToken stored = signIn().withoutAccessToken();
        RefreshingTokenProvider provider = provider(stored);
        // The user revokes jsmtp's access (RFC 7009) at the server, which then no longer knows the refresh token.
        HttpResponse<String> revoked = http.send(HttpRequest.newBuilder(
                mock.server.revocationEndpointUrl(MockAuthorizationServer.ISSUER).uri())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token_type_hint=refresh_token&client_id="
                        + MockAuthorizationServer.CLIENT_ID + "&token=" + stored.refreshToken().orElseThrow()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).isEqualTo(200);
        // The mock would mint a token for any unknown refresh token; answer for it the way Google does instead.
        mock.server.enqueueCallback(new RefusingCallback());
        mock.takeRequests();

        assertThatThrownBy(provider::token).isInstanceOfSatisfying(OAuth2Exception.class, e -> {
            assertThat(e.error()).isEqualTo("invalid_grant");
            assertThat(e.loginRequired()).isTrue();
            assertThat(e.getMessage())
                    .contains("account \"work\"")
                    .containsIgnoringCase("invalid_grant (Token has been expired or revoked.)")
                    .contains("Run \"jsmtp oauth2 login --account work\" again.")
                    .doesNotContain(stored.refreshToken().orElseThrow());
        });
        assertThat(MockAuthorizationServer.form(mock.takeRequests().get(0)))
                .containsEntry("refresh_token", stored.refreshToken().orElseThrow());
        // The stored sign-in is kept: a temporary misconfiguration must not destroy it.
        assertThat(store.load("work")).isPresent();
    }

    /** Refuses every grant as an authorization server does for a refresh token it no longer honours. */
    private static final class RefusingCallback implements OAuth2TokenCallback {
        @Override
        public String issuerId() {
            return MockAuthorizationServer.ISSUER;
        }

        @Override
        public String subject(TokenRequest request) {
            throw new no.nav.security.mock.oauth2.OAuth2Exception(
                    OAuth2Error.INVALID_GRANT.setDescription("Token has been expired or revoked."),
                    "Token has been expired or revoked.");
        }

        @Override
        public String typeHeader(TokenRequest request) {
            return "JWT";
        }

        @Override
        public List<String> audience(TokenRequest request) {
            return List.of("smtp");
        }

        @Override
        public Map<String, Object> addClaims(TokenRequest request) {
            return Map.of();
        }

        @Override
        public long tokenExpiry() {
            return 3600;
        }
    }

    @Test
    void concurrentCallersShareOneRefresh() throws Exception {
        RefreshingTokenProvider provider = provider(signIn().withoutAccessToken());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<AccessToken>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(provider::token);
            }
            List<String> values = new ArrayList<>();
            for (Future<AccessToken> f : pool.invokeAll(calls)) {
                values.add(f.get().value());
            }
            assertThat(values).containsOnly(values.get(0));
            assertThat(mock.takeRequests()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void clientCredentialsTokensAreCachedAndFetchedAgainNearExpiry() throws IOException {
        Map<String, String> keys = new HashMap<>(mock.settings(tokens));
        keys.put("oauth2-client-secret", "s3cret-value");
        keys.put("oauth2-scope", "https://outlook.office365.com/.default");
        keys.put("oauth2-grant", "client-credentials");
        settings = OAuth2Settings.fromProperties(keys);
        RefreshingTokenProvider provider = RefreshingTokenProvider.forClientCredentials(endpoint(), settings.scopes(),
                clock, MARGIN);

        AccessToken first = provider.token();
        assertThat(provider.token()).isEqualTo(first);
        List<RecordedRequest> requests = mock.takeRequests();
        assertThat(requests).hasSize(1);
        assertThat(MockAuthorizationServer.form(requests.get(0)))
                .containsEntry("grant_type", "client_credentials")
                .containsEntry("client_id", MockAuthorizationServer.CLIENT_ID)
                .containsEntry("client_secret", "s3cret-value")
                .containsEntry("scope", "https://outlook.office365.com/.default");

        clock.step(Duration.between(clock.instant(), first.expiresAt().orElseThrow()));
        assertThat(provider.token().value()).isNotEqualTo(first.value());
        assertThat(mock.takeRequests()).hasSize(1);
    }
}
