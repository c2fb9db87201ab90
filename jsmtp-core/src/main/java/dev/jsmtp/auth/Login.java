package dev.jsmtp.auth;

import dev.jsmtp.Credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The LOGIN mechanism (draft-murchison-sasl-login): the user name, then the password, each in answer to one
 * challenge. The challenges' text ("Username:", "Password:", or anything else) is ignored on purpose: servers
 * word and localise it freely, so the answers go by order.
 */
public final class Login implements SaslMechanism {

    private final String username;
    private final Credentials.PasswordSupplier password;
    private final boolean usernameAsInitialResponse;
    private int answered;

    /** LOGIN without an initial response, the form every server accepts. */
    public Login(String username, Credentials.PasswordSupplier password) {
        this(username, password, false);
    }

    /** LOGIN that sends the user name on the AUTH line ({@code AUTH LOGIN dXNlcg==}) when asked to. */
    public Login(String username, Credentials.PasswordSupplier password, boolean usernameAsInitialResponse) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
        this.usernameAsInitialResponse = usernameAsInitialResponse;
    }

    /** LOGIN with a password credential's user name and password. */
    public static Login of(Credentials.Password credentials) {
        return new Login(credentials.username(), credentials::password);
    }

    @Override
    public String name() {
        return "LOGIN";
    }

    @Override
    public Optional<byte[]> initialResponse() {
        if (!usernameAsInitialResponse) {
            return Optional.empty();
        }
        answered = 1;
        return Optional.of(username.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] respond(byte[] challenge) throws IOException {
        switch (answered++) {
            case 0:
                return username.getBytes(StandardCharsets.UTF_8);
            case 1:
                char[] chars = password.password();
                try {
                    return Secrets.utf8(chars);
                } finally {
                    Secrets.clear(chars);
                }
            default:
                throw new UnexpectedChallengeException(
                        "LOGIN got a third challenge after the user name and the password");
        }
    }

    @Override
    public boolean usesToken() {
        return false;
    }

    @Override
    public String toString() {
        return "LOGIN[" + username + "]";
    }
}
