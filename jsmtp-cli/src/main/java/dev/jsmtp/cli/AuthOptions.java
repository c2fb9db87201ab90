package dev.jsmtp.cli;

import dev.jsmtp.Credentials;
import dev.jsmtp.TlsMode;
import dev.jsmtp.TokenProvider;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** How {@code send} authenticates (RFC 4954): a user with a password source, or OAuth2 tokens; none: no AUTH. */
public final class AuthOptions {

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "Authenticate as USER (no --user: no AUTH).")
    String user;

    @Option(names = "--password-env", paramLabel = "VAR", description = "Read the password from environment variable VAR.")
    String passwordEnv;

    @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from FILE's first line.")
    Path passwordFile;

    @Option(names = "--password-cmd", paramLabel = "CMD",
            description = "Run CMD with /bin/sh and use the first line it prints, e.g. 'pass show mail/work'. "
                    + "Without any password source, jsmtp asks on the terminal (no echo).")
    String passwordCmd;

    @Option(names = "--auth", paramLabel = "MECH",
            description = "Use this SASL mechanism (PLAIN, LOGIN, CRAM-MD5, XOAUTH2, OAUTHBEARER) instead of "
                    + "choosing from the server's offer.")
    String mechanism;

    @Option(names = "--oauth2-token-env", paramLabel = "VAR", description = "An OAuth2 access token from VAR.")
    String tokenEnv;

    @Option(names = "--oauth2-token-cmd", paramLabel = "CMD",
            description = "Run CMD for an OAuth2 access token (again if the server refuses it).")
    String tokenCmd;

    @Option(names = "--allow-cleartext-auth",
            description = "Allow AUTH on a connection without TLS, where anyone on the path can read it.")
    boolean allowCleartext;

    /** The credentials to authenticate with, or empty for no AUTH; reads the password now. */
    Optional<Credentials> credentials(Account a, Cli cli) throws CliException {
        int sources = (passwordEnv != null ? 1 : 0) + (passwordFile != null ? 1 : 0) + (passwordCmd != null ? 1 : 0)
                + (tokenEnv != null ? 1 : 0) + (tokenCmd != null ? 1 : 0);
        if (sources > 1) {
            throw CliException.usage("give one of --password-env, --password-file, --password-cmd, "
                    + "--oauth2-token-env and --oauth2-token-cmd, not several");
        }
        String u = user != null ? user : a.get("user").orElse(null);
        if (u == null) {
            if (OAuth2Account.isConfigured(a) && user == null) {
                throw CliException.config(a.where("oauth2-provider") + ": account '" + a.name() + "' signs in "
                        + "with OAuth2 but has no 'user' (the address to authenticate as)");
            }
            if (passwordEnv != null || passwordFile != null || passwordCmd != null || tokenEnv != null
                    || tokenCmd != null) {
                throw CliException.usage("a password or token source was given without --user");
            }
            return Optional.empty();
        }
        try {
            Optional<TokenProvider> tokens = tokens(a, cli);
            if (tokens.isPresent()) {
                return Optional.of(Credentials.oauth2(u, tokens.get()));
            }
            char[] password = password(u, a, cli);
            try {
                return Optional.of(Credentials.password(u, password));
            } finally {
                Arrays.fill(password, '\0');
            }
        } catch (IllegalArgumentException e) {
            throw CliException.data("--user: " + e.getMessage());
        }
    }

    private Optional<TokenProvider> tokens(Account a, Cli cli) throws CliException {
        if (tokenEnv != null) {
            return Optional.of(Secrets.tokenFromEnvironment(tokenEnv, cli));
        }
        if (tokenCmd != null) {
            return Optional.of(Secrets.tokenFromCommand(tokenCmd));
        }
        if (hasPasswordOption()) {
            return Optional.empty();
        }
        if (a.get("oauth2-token-env").isPresent()) {
            return Optional.of(Secrets.tokenFromEnvironment(a.get("oauth2-token-env").get(), cli));
        }
        if (a.get("oauth2-token-cmd").isPresent()) {
            return Optional.of(Secrets.tokenFromCommand(a.get("oauth2-token-cmd").get()));
        }
        if (OAuth2Account.isConfigured(a) && (user == null || user.equals(a.get("user").orElse(null)))) {
            // The account's own sign-in (jsmtp oauth2 login), like its password, belongs to its user only.
            return Optional.of(OAuth2Account.of(a, cli).tokenProvider(dev.jsmtp.oauth2.OAuth2Login.builder().build()));
        }
        return Optional.empty();
    }

    private boolean hasPasswordOption() {
        return passwordEnv != null || passwordFile != null || passwordCmd != null;
    }

    private char[] password(String u, Account a, Cli cli) throws CliException {
        if (passwordEnv != null) {
            return Secrets.fromEnvironment(passwordEnv, cli);
        }
        if (passwordFile != null) {
            return Secrets.fromFile(passwordFile, cli);
        }
        if (passwordCmd != null) {
            return Secrets.fromCommand(passwordCmd, "--password-cmd");
        }
        if (user == null || user.equals(a.get("user").orElse(null))) {
            // The account's own password source belongs to the account's user only.
            if (a.get("password").isPresent()) {
                return a.get("password").get().toCharArray();
            }
            if (a.get("password-env").isPresent()) {
                return Secrets.fromEnvironment(a.get("password-env").get(), cli);
            }
            if (a.get("password-file").isPresent()) {
                return Secrets.fromFile(Path.of(a.get("password-file").get()), cli);
            }
            if (a.get("password-cmd").isPresent()) {
                return Secrets.fromCommand(a.get("password-cmd").get(), a.where("password-cmd") + ": password-cmd");
            }
        }
        return Secrets.fromPrompt(u, cli);
    }

    /** The SASL mechanism to force, if any. */
    Optional<String> mechanism(Account a) {
        return Optional.ofNullable(mechanism).or(() -> a.get("auth"));
    }

    /** True when AUTH may go over a connection without TLS. */
    boolean allowCleartext(Account a) {
        return allowCleartext || a.isOn("allow-cleartext-auth");
    }

    /** Refuses, before connecting, AUTH that would certainly travel in clear text. */
    void checkCleartext(TlsMode mode, Optional<Credentials> credentials, Account a) throws CliException {
        if (credentials.isPresent() && mode == TlsMode.NONE && !allowCleartext(a)) {
            throw new CliException(ExitCode.NO_PERMISSION, "refusing to send credentials over a connection "
                    + "without TLS (--tls none); use TLS, or --allow-cleartext-auth for a test server");
        }
    }
}
