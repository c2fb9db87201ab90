package dev.jsmtp.auth;

import dev.jsmtp.Credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The CRAM-MD5 mechanism (RFC 2195): the answer to the server's challenge is the user name, a space, and the
 * lower-case hex HMAC-MD5 of the challenge keyed with the password. The password itself never travels, but the
 * server must store it in the clear, and MD5 is weak: prefer PLAIN over TLS.
 */
public final class CramMd5 implements SaslMechanism {

    private final String username;
    private final Credentials.PasswordSupplier password;
    private boolean answered;

    public CramMd5(String username, Credentials.PasswordSupplier password) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
    }

    /** CRAM-MD5 with a password credential's user name and password. */
    public static CramMd5 of(Credentials.Password credentials) {
        return new CramMd5(credentials.username(), credentials::password);
    }

    @Override
    public String name() {
        return "CRAM-MD5";
    }

    @Override
    public Optional<byte[]> initialResponse() {
        return Optional.empty();
    }

    @Override
    public byte[] respond(byte[] challenge) throws IOException {
        if (answered) {
            throw new UnexpectedChallengeException("CRAM-MD5 got a second challenge");
        }
        answered = true;
        char[] chars = password.password();
        byte[] key = null;
        try {
            key = Secrets.utf8(chars);
            if (key.length == 0) {
                throw new IOException("CRAM-MD5 needs a non-empty password");
            }
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            String digest = HexFormat.of().formatHex(mac.doFinal(challenge));
            return (username + " " + digest).getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IOException("HmacMD5 is not available in this JDK", e);
        } finally {
            Secrets.clear(chars);
            Secrets.clear(key);
        }
    }

    @Override
    public boolean usesToken() {
        return false;
    }

    @Override
    public String toString() {
        return "CRAM-MD5[" + username + "]";
    }
}
