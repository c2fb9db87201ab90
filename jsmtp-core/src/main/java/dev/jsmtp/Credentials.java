package dev.jsmtp;

import java.io.IOException;
import java.util.Objects;

/**
 * What jsmtp authenticates with (RFC 4954): a user name with a password, or with an OAuth2 token provider. The
 * secret is fetched from a supplier on each connection, so it can be rotated or refreshed; {@link #toString()}
 * never shows it.
 */
public sealed interface Credentials permits Credentials.Password, Credentials.OAuth2 {

    /** The authentication identity (usually the mailbox address). */
    String username();

    /** A user name and a fixed password. The array is copied; clear yours when done. */
    static Credentials password(String username, char[] password) {
        char[] copy = password.clone();
        return new Password(username, copy::clone);
    }

    /** A user name and a fixed password. */
    static Credentials password(String username, String password) {
        return password(username, password.toCharArray());
    }

    /** A user name and a password fetched when needed (a vault, a command, a prompt). */
    static Credentials password(String username, PasswordSupplier password) {
        return new Password(username, password);
    }

    /** A user name and OAuth2 access tokens, for XOAUTH2 or OAUTHBEARER. */
    static Credentials oauth2(String username, TokenProvider tokens) {
        return new OAuth2(username, tokens);
    }

    /** Supplies a password on demand; each call returns a fresh array that the caller clears after use. */
    @FunctionalInterface
    interface PasswordSupplier {
        char[] password() throws IOException;
    }

    /** Password credentials, for PLAIN, LOGIN and CRAM-MD5. */
    final class Password implements Credentials {
        private final String username;
        private final PasswordSupplier supplier;

        Password(String username, PasswordSupplier supplier) {
            this.username = checkUsername(username);
            this.supplier = Objects.requireNonNull(supplier, "password supplier");
        }

        @Override
        public String username() {
            return username;
        }

        /** A fresh copy of the password; clear it after use. */
        public char[] password() throws IOException {
            return supplier.password();
        }

        @Override
        public String toString() {
            return "Credentials.Password[username=" + username + ", password=****]";
        }
    }

    /** OAuth2 credentials, for XOAUTH2 and OAUTHBEARER. */
    final class OAuth2 implements Credentials {
        private final String username;
        private final TokenProvider tokens;

        OAuth2(String username, TokenProvider tokens) {
            this.username = checkUsername(username);
            this.tokens = Objects.requireNonNull(tokens, "token provider");
        }

        @Override
        public String username() {
            return username;
        }

        public TokenProvider tokens() {
            return tokens;
        }

        @Override
        public String toString() {
            return "Credentials.OAuth2[username=" + username + ", token=****]";
        }
    }

    private static String checkUsername(String username) {
        Objects.requireNonNull(username, "username");
        for (int i = 0; i < username.length(); i++) {
            char c = username.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("user name contains a control character");
            }
        }
        return username;
    }
}
