package dev.jsmtp.auth;

import dev.jsmtp.AccessToken;
import dev.jsmtp.Credentials;
import dev.jsmtp.TokenProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The XOAUTH2 mechanism of Google and Microsoft (a bearer token, RFC 6750, in the form
 * {@code user=U ^A auth=Bearer T ^A ^A}). When the server refuses the token it sends a 334 challenge with a JSON
 * error; the client answers it with an empty response and then reads the final refusal.
 */
public final class XOAuth2 implements SaslMechanism {

    private final String username;
    private final TokenProvider tokens;
    private AccessToken used;

    public XOAuth2(String username, TokenProvider tokens) {
        this.username = Objects.requireNonNull(username, "username");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        if (username.indexOf('\u0001') >= 0) {
            throw new IllegalArgumentException("user name contains ^A, which XOAUTH2 cannot carry");
        }
    }

    /** XOAUTH2 with an OAuth2 credential's user name and token provider. */
    public static XOAuth2 of(Credentials.OAuth2 credentials) {
        return new XOAuth2(credentials.username(), credentials.tokens());
    }

    @Override
    public String name() {
        return "XOAUTH2";
    }

    @Override
    public Optional<byte[]> initialResponse() throws IOException {
        used = Objects.requireNonNull(tokens.token(), "token provider returned null");
        String message = "user=" + username + "\u0001auth=Bearer " + used.value() + "\u0001\u0001";
        return Optional.of(message.getBytes(StandardCharsets.UTF_8));
    }

    /** The only challenge after the token is the server's JSON error; the protocol answers it with nothing. */
    @Override
    public byte[] respond(byte[] challenge) {
        return new byte[0];
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
        return "XOAUTH2[" + username + "]";
    }
}
