package dev.jsmtp.cli;

import dev.jsmtp.AccessToken;
import dev.jsmtp.TokenProvider;
import dev.jsmtp.oauth2.OAuth2Exception;
import dev.jsmtp.oauth2.OAuth2Login;
import dev.jsmtp.oauth2.OAuth2Settings;

import java.io.IOException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * An account's OAuth2 sign-in (RFC 6749) as the command line sees it: the account's {@code oauth2-*} settings
 * completed from the environment, handed to {@code jsmtp-oauth2}, and its failures turned into one line and a
 * sysexits status. Nothing here ever puts a token, code or secret into a message.
 */
final class OAuth2Account {

    /** The client ID when the account's section has none (so a shared accounts file need not hold it). */
    static final String CLIENT_ID_ENV = "JSMTP_OAUTH2_CLIENT_ID";
    /** The client secret when the account's section has neither a secret nor a secret command. */
    static final String CLIENT_SECRET_ENV = "JSMTP_OAUTH2_CLIENT_SECRET";
    /**
     * The accounts file takes only {@code oauth2-*} keys for OAuth2, so the module's {@code token-store-cmd} is
     * spelt {@code oauth2-token-store-cmd} there (both are accepted here).
     */
    static final String TOKEN_STORE_CMD = "oauth2-token-store-cmd";

    /** The server errors (RFC 6749 section 5.2, RFC 8628 section 3.5) that a later try may not meet again. */
    private static final Set<String> TRANSIENT_ERRORS = Set.of("timeout", "expired_token", "temporarily_unavailable",
            "server_error", "slow_down");

    private final Account account;
    private final Map<String, String> settings;

    private OAuth2Account(Account account, Map<String, String> settings) {
        this.account = account;
        this.settings = Map.copyOf(settings);
    }

    /** True when the account signs in with OAuth2 ({@code oauth2-provider} is set). */
    static boolean isConfigured(Account a) {
        return a.get(OAuth2Settings.PROVIDER).isPresent();
    }

    /** The account's OAuth2 settings; a config error (78) when the account has no {@code oauth2-provider}. */
    static OAuth2Account of(Account a, Cli cli) throws CliException {
        if (a.name().isEmpty()) {
            throw CliException.usage("no account: give --account NAME (an account of the accounts file with "
                    + OAuth2Settings.PROVIDER + ")");
        }
        if (!isConfigured(a)) {
            throw CliException.config(a.file() + ": account '" + a.name() + "' has no " + OAuth2Settings.PROVIDER
                    + " (google, microsoft, microsoft-app or custom); see docs/oauth2.md");
        }
        Map<String, String> s = new HashMap<>();
        a.settings().forEach((key, setting) -> {
            if (key.startsWith("oauth2-")) {
                s.put(key, setting.value());
            }
        });
        a.get(OAuth2Settings.TOKEN_STORE_CMD).or(() -> a.get(TOKEN_STORE_CMD))
                .ifPresent(cmd -> s.put(OAuth2Settings.TOKEN_STORE_CMD, cmd));
        s.remove(TOKEN_STORE_CMD);
        fromEnvironment(s, OAuth2Settings.CLIENT_ID, CLIENT_ID_ENV, cli);
        if (!s.containsKey(OAuth2Settings.CLIENT_SECRET_CMD)) {
            fromEnvironment(s, OAuth2Settings.CLIENT_SECRET, CLIENT_SECRET_ENV, cli);
        }
        // Token files sit beside the accounts file's default place, under the same home the CLI was given.
        s.putIfAbsent(OAuth2Settings.TOKEN_DIR, configHome(cli).resolve("jsmtp").resolve("tokens").toString());
        return new OAuth2Account(a, s);
    }

    private static void fromEnvironment(Map<String, String> s, String key, String variable, Cli cli) {
        String value = cli.env().get(variable);
        if (!s.containsKey(key) && value != null && !value.isBlank()) {
            s.put(key, value.strip());
        }
    }

    private static Path configHome(Cli cli) {
        String xdg = cli.env().get("XDG_CONFIG_HOME");
        return xdg != null && !xdg.isEmpty() ? Path.of(xdg) : cli.home().resolve(".config");
    }

    String name() {
        return account.name();
    }

    /** The keys {@code jsmtp-oauth2} reads (client secret included: never print this map). */
    Map<String, String> settings() {
        return settings;
    }

    /** Parses the settings, running {@code oauth2-client-secret-cmd} if set; any failure is a config error. */
    OAuth2Settings parsed() throws CliException {
        try {
            return OAuth2Settings.fromProperties(settings);
        } catch (IllegalArgumentException e) {
            throw CliException.config(where() + e.getMessage());
        } catch (IOException e) {
            throw CliException.config(where() + e.getMessage());
        }
    }

    /**
     * The token source for {@code send}, with a valid token fetched now: a sign-in that is missing or revoked then
     * fails here, before any connection, with exit 77 and the advice to log in, rather than in the middle of AUTH.
     */
    TokenProvider tokenProvider(OAuth2Login login) throws CliException {
        OAuth2Settings parsed = parsed();
        try {
            TokenProvider provider = login.provider(name(), parsed);
            AccessToken first = provider.token();
            if (first == null) {
                throw new CliException(ExitCode.SOFTWARE, "the token provider of account '" + name()
                        + "' returned no token");
            }
            return provider;
        } catch (IOException | IllegalArgumentException e) {
            throw failure(e);
        }
    }

    /** One line and a status for a failure of the sign-in, token or store machinery. */
    CliException failure(Exception e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof IllegalArgumentException) {
            return CliException.config(where() + message);
        }
        if (e instanceof OAuth2Exception o) {
            if (o.loginRequired()) {
                String advice = message.contains("jsmtp oauth2 login") ? ""
                        : " Run \"jsmtp oauth2 login --account " + name() + "\".";
                return new CliException(ExitCode.NO_PERMISSION, message + advice);
            }
            if (TRANSIENT_ERRORS.contains(o.error()) || o.error().startsWith("http_5")) {
                return new CliException(ExitCode.TEMPORARY_FAILURE, message);
            }
            if (o.error().equals("access_denied")) {
                return new CliException(ExitCode.NO_PERMISSION, message);
            }
            // invalid_client, unauthorized_client, invalid_scope, a wrong endpoint: the settings need fixing.
            return CliException.config(where() + message);
        }
        if (causedBy(e, javax.net.ssl.SSLException.class)) {
            return new CliException(ExitCode.NO_PERMISSION, message);
        }
        if (causedBy(e, SocketException.class) || causedBy(e, UnknownHostException.class)
                || causedBy(e, java.net.SocketTimeoutException.class) || causedBy(e, HttpTimeoutException.class)
                || message.startsWith("could not reach ")) {
            return new CliException(ExitCode.TEMPORARY_FAILURE, message);
        }
        if (causedBy(e, FileSystemException.class)) {
            return new CliException(ExitCode.IO_ERROR, message);
        }
        // What is left comes from a command the account names (token store, secret): the settings need fixing.
        return CliException.config(where() + message);
    }

    private String where() {
        return "account '" + name() + "': ";
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
