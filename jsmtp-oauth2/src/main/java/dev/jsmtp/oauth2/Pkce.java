package dev.jsmtp.oauth2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * A PKCE code verifier and its S256 code challenge (RFC 7636 section 4.1-4.2): the verifier is 32 random octets in
 * base64url (43 characters), the challenge BASE64URL(SHA-256(verifier)).
 */
public record Pkce(String verifier, String challenge) {

    /** The only challenge method jsmtp sends; "plain" protects nothing if the request is seen. */
    public static final String METHOD = "S256";

    public Pkce {
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(challenge, "challenge");
        if (verifier.length() < 43 || verifier.length() > 128 || !verifier.matches("[A-Za-z0-9._~-]+")) {
            throw new IllegalArgumentException("a code verifier has 43-128 unreserved characters (RFC 7636 4.1)");
        }
    }

    /** A fresh verifier from {@code random}. */
    public static Pkce generate(SecureRandom random) {
        String verifier = randomToken(random, 32);
        return new Pkce(verifier, challengeOf(verifier));
    }

    /** The S256 challenge for a verifier. */
    public static String challengeOf(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Random octets in unpadded base64url, for verifiers and {@code state} values. */
    static String randomToken(SecureRandom random, int octets) {
        byte[] bytes = new byte[octets];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "Pkce[challenge=" + challenge + "]";
    }
}
