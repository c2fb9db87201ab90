package dev.jsmtp.oauth2;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Where an account's OAuth2 sign-in (RFC 6749 refresh token) is kept between runs: files or an external keyring. */
public interface TokenStore {

    /** The account's sign-in, if one is stored. */
    Optional<StoredToken> load(String account) throws IOException;

    /** Stores (replaces) the account's sign-in. */
    void save(String account, StoredToken token) throws IOException;

    /** Forgets the account's sign-in; false when there was none. */
    boolean delete(String account) throws IOException;

    /** Where this account's sign-in lives, for messages ("/home/me/.config/jsmtp/tokens/work.json"). */
    String location(String account);

    /** Account names become file names and command arguments: letters, digits and {@code . _ @ + -} only. */
    static String checkAccount(String account) {
        if (account == null || !ACCOUNT.matcher(account).matches()) {
            throw new IllegalArgumentException("account name must be 1-100 letters, digits or . _ @ + - "
                    + "and not start with a dot or dash: \"" + dev.jsmtp.Escaping.escape(String.valueOf(account))
                    + "\"");
        }
        return account;
    }

    /** The pattern behind {@link #checkAccount}. */
    Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9_@+][A-Za-z0-9._@+-]{0,99}");
}
