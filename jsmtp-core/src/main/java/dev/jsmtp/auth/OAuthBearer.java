package dev.jsmtp.auth;

import dev.jsmtp.AccessToken;
import dev.jsmtp.Credentials;
import dev.jsmtp.TokenProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The OAUTHBEARER mechanism (RFC 7628): a GS2 header naming the user, then the host, port and bearer token as
 * ^A-separated key-value pairs. A refused token comes back as a 334 JSON error challenge, which the client answers
 * with a single ^A (RFC 7628 §3.2.3) before the server's final refusal.
 */
public final class OAuthBearer implements SaslMechanism {

    private static final byte[] ERROR_ACKNOWLEDGEMENT = {0x01};

    private final String username;
    private final TokenProvider tokens;
    private final String host;
    private final int port;
    private AccessToken used;

    public OAuthBearer(String username, TokenProvider tokens, String host, int port) {
        this.username = Objects.requireNonNull(username, "username");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.host = Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
        if (username.indexOf('\u0001') >= 0 || host.indexOf('\u0001') >= 0) {
            throw new IllegalArgumentException("user name or host contains ^A, which OAUTHBEARER cannot carry");
        }
    }

    /** OAUTHBEARER with an OAuth2 credential, for the server at {@code host}:{@code port}. */
    public static OAuthBearer of(Credentials.OAuth2 credentials, String host, int port) {
        return new OAuthBearer(credentials.username(), credentials.tokens(), host, port);
    }

    @Override
    public String name() {
        return "OAUTHBEARER";
    }

    @Override
    public Optional<byte[]> initialResponse() throws IOException {
        used = Objects.requireNonNull(tokens.token(), "token provider returned null");
        String message = "n,a=" + saslName(username) + ",\u0001host=" + host + "\u0001port=" + port
                + "\u0001auth=Bearer " + used.value() + "\u0001\u0001";
        return Optional.of(message.getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 5801 §4: "," and "=" in the authorization identity are written "=2C" and "=3D". */
    static String saslName(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }

    @Override
    public byte[] respond(byte[] challenge) {
        return ERROR_ACKNOWLEDGEMENT.clone();
    }

    @Override
    public boolean usesToken() {
        return true;
    }

    @Override
    public Optional<AccessToken> usedToken() {
        return Optional.ofNullable(used);
    }

    @Override
    public String toString() {
        return "OAUTHBEARER[" + username + "]";
    }
}
