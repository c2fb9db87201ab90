package dev.jsmtp.auth;

import dev.jsmtp.Credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The PLAIN mechanism (RFC 4616): one message, an empty authorization identity, NUL, the user name, NUL, the
 * password, in UTF-8. Only safe over TLS.
 */
public final class Plain implements SaslMechanism {

    private final String username;
    private final Credentials.PasswordSupplier password;

    public Plain(String username, Credentials.PasswordSupplier password) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
        if (username.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("user name contains NUL, which PLAIN cannot carry");
        }
    }

    /** PLAIN with a password credential's user name and password. */
    public static Plain of(Credentials.Password credentials) {
        return new Plain(credentials.username(), credentials::password);
    }

    @Override
    public String name() {
        return "PLAIN";
    }

    @Override
    public Optional<byte[]> initialResponse() throws IOException {
        char[] chars = password.password();
        byte[] secret = null;
        try {
            if (Secrets.containsNul(chars)) {
                throw new IOException("the password contains NUL, which PLAIN cannot carry");
            }
            secret = Secrets.utf8(chars);
            byte[] user = username.getBytes(StandardCharsets.UTF_8);
            // authzid (empty) NUL authcid NUL passwd
            byte[] message = new byte[1 + user.length + 1 + secret.length];
            System.arraycopy(user, 0, message, 1, user.length);
            System.arraycopy(secret, 0, message, user.length + 2, secret.length);
            return Optional.of(message);
        } finally {
            Secrets.clear(chars);
            Secrets.clear(secret);
        }
    }

    @Override
    public byte[] respond(byte[] challenge) throws IOException {
        throw new UnexpectedChallengeException("PLAIN expects no challenge after its response");
    }

    @Override
    public boolean usesToken() {
        return false;
    }

    @Override
    public String toString() {
        return "PLAIN[" + username + "]";
    }
}
