package dev.jsmtp.transport;

import dev.jsmtp.Credentials;
import dev.jsmtp.TlsMode;
import dev.jsmtp.session.SessionConfig;

import java.util.Objects;
import java.util.Optional;

/**
 * What makes two SMTP connections interchangeable (RFC 5321 §3): the server, the TLS mode and the identity that
 * authenticated on them. The identity is the user name, never the secret, so a refreshed OAuth2 token or a
 * rotated password keeps using the connections already open.
 */
public record Endpoint(String host, int port, TlsMode tlsMode, Optional<String> username) {

    public Endpoint {
        Objects.requireNonNull(host);
        Objects.requireNonNull(tlsMode);
        username = username == null ? Optional.empty() : username;
    }

    /** The endpoint a session with {@code config} connects to. */
    public static Endpoint of(SessionConfig config) {
        return new Endpoint(config.host(), config.port(), config.tlsMode(),
                config.credentials().map(Credentials::username));
    }

    @Override
    public String toString() {
        return username.map(u -> u + "@").orElse("") + host + ":" + port + " (" + tlsMode + ")";
    }
}
