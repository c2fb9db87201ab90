package dev.jsmtp.oauth2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The client side of an OAuth2 token endpoint (RFC 6749 section 3.2): posts a grant as a form, with the client
 * authenticated by {@code client_secret} in the body when it has one (section 2.3.1), and reads the JSON answer.
 */
public final class TokenEndpoint {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_RESPONSE = 256 * 1024;

    private final HttpClient http;
    private final URI endpoint;
    private final String clientId;
    private final Optional<String> clientSecret;
    private final Clock clock;

    public TokenEndpoint(HttpClient http, URI endpoint, String clientId, Optional<String> clientSecret, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A token endpoint for these settings. */
    public static TokenEndpoint of(OAuth2Settings settings, HttpClient http, Clock clock) {
        return new TokenEndpoint(http, settings.provider().tokenEndpoint(), settings.clientId(),
                settings.clientSecret(), clock);
    }

    /** An HTTP client as the flows need it: no redirects followed (RFC 6749 section 3.2 has none). */
    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Exchanges an authorization code, proving possession of the PKCE verifier (RFC 7636 section 4.5). */
    public TokenResponse authorizationCode(String code, URI redirectUri, String codeVerifier) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri.toString());
        form.put("code_verifier", codeVerifier);
        return grant("authorization_code", form);
    }

    /** Refreshes an access token (RFC 6749 section 6); the answer may carry a new refresh token. */
    public TokenResponse refresh(String refreshToken, List<String> scopes) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        if (!scopes.isEmpty()) {
            form.put("scope", String.join(" ", scopes));
        }
        return grant("refresh_token", form);
    }

    /** Gets a token for the application itself (RFC 6749 section 4.4). */
    public TokenResponse clientCredentials(List<String> scopes) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (!scopes.isEmpty()) {
            form.put("scope", String.join(" ", scopes));
        }
        return grant("client_credentials", form);
    }

    /** One device access token request (RFC 8628 section 3.4); errors such as authorization_pending are thrown. */
    public TokenResponse deviceCode(String deviceCode) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", DEVICE_CODE_GRANT);
        form.put("device_code", deviceCode);
        return grant("device_code", form);
    }

    /** The endpoint's address. */
    public URI endpoint() {
        return endpoint;
    }

    Clock clock() {
        return clock;
    }

    /** Posts a form to any endpoint of this client (the device authorization endpoint, say) and returns its JSON. */
    JsonNode post(URI uri, Map<String, String> form, String what) throws IOException {
        Map<String, String> full = new LinkedHashMap<>(form);
        full.put("client_id", clientId);
        clientSecret.ifPresent(s -> full.put("client_secret", s));
        String body = full.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        HttpResponse<InputStream> response;
        String text;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                // Token responses are a few kilobytes; a server that sends more is not one to trust with memory.
                byte[] bytes = in.readNBytes(MAX_RESPONSE + 1);
                if (bytes.length > MAX_RESPONSE) {
                    throw new OAuth2Exception(where(uri) + " sent more than " + MAX_RESPONSE / 1024 + " KiB in "
                            + "answer to the " + what + " request", OAuth2Exception.CLIENT_ERROR, Optional.empty(),
                            false);
                }
                text = new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (OAuth2Exception e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + where(uri), e);
        } catch (IOException e) {
            throw new IOException("could not reach " + where(uri) + " for the " + what + " request: " + e, e);
        }
        JsonNode json = null;
        try {
            json = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // Handled below: the body is never echoed, since a 200 body holds tokens.
        }
        int status = response.statusCode();
        if (json != null && json.isObject() && json.hasNonNull("error")) {
            String error = json.get("error").asText();
            Optional<String> description = OAuth2Exception.cleanDescription(
                    json.hasNonNull("error_description") ? json.get("error_description").asText() : null);
            throw new OAuth2Exception(where(uri) + " refused the " + what + " request: "
                    + OAuth2Exception.describe(error, description), error, description, false);
        }
        if (status != 200) {
            throw new OAuth2Exception(where(uri) + " answered the " + what + " request with HTTP status " + status
                    + " and no OAuth2 error", "http_" + status, Optional.empty(), false);
        }
        if (json == null || !json.isObject()) {
            throw new OAuth2Exception(where(uri) + " answered the " + what + " request with something that is not "
                    + "a JSON object", OAuth2Exception.CLIENT_ERROR, Optional.empty(), false);
        }
        return json;
    }

    /** An endpoint as messages show it: scheme, host, port and path, never a query. */
    static String where(URI uri) {
        // Host and port only: an authority may carry user:password.
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private TokenResponse grant(String what, Map<String, String> form) throws IOException {
        JsonNode json = post(endpoint, form, what);
        return TokenResponse.parse(json, clock.instant(), endpoint, what);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
