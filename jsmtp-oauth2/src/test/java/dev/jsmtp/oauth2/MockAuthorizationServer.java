package dev.jsmtp.oauth2;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import okhttp3.mockwebserver.RecordedRequest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** navikt's mock-oauth2-server on a loopback port, with the settings that point jsmtp at it. */
final class MockAuthorizationServer implements AutoCloseable {

    static final String ISSUER = "default";
    static final String CLIENT_ID = "jsmtp-test";

    final MockOAuth2Server server;

    private MockAuthorizationServer(MockOAuth2Server server) {
        this.server = server;
    }

    /** A server that hands out a new refresh token at every refresh and forgets the old one. */
    static MockAuthorizationServer startRotating() throws IOException {
        MockOAuth2Server server = new MockOAuth2Server(
                OAuth2Config.Companion.fromJson("{\"rotateRefreshToken\": true}"));
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        return new MockAuthorizationServer(server);
    }

    URI tokenEndpoint() {
        return server.tokenEndpointUrl(ISSUER).uri();
    }

    URI authorizationEndpoint() {
        return server.authorizationEndpointUrl(ISSUER).uri();
    }

    /** Accounts-file keys of a public client signing in to this server; tokens under {@code tokenDir}. */
    Map<String, String> settings(Path tokenDir) {
        Map<String, String> s = new HashMap<>();
        s.put("oauth2-provider", "custom");
        s.put("oauth2-client-id", CLIENT_ID);
        s.put("oauth2-token-url", tokenEndpoint().toString());
        s.put("oauth2-auth-url", authorizationEndpoint().toString());
        // The mock is an OpenID Provider: it insists on openid in every authorization request.
        s.put("oauth2-scope", "openid offline_access");
        s.put("oauth2-token-dir", tokenDir.toString());
        return s;
    }

    /** Every request the server has received since the last call, oldest first. */
    List<RecordedRequest> takeRequests() {
        List<RecordedRequest> all = new ArrayList<>();
        while (true) {
            try {
                all.add(server.takeRequest(200, TimeUnit.MILLISECONDS));
            } catch (RuntimeException noMore) {
                // The mock signals an empty queue by throwing once the wait is over.
                return all;
            }
        }
    }

    /** The form fields of a recorded POST. */
    static Map<String, String> form(RecordedRequest request) {
        return parse(request.getBody().readUtf8());
    }

    static Map<String, String> parse(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return fields;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
