package dev.jsmtp.cli;

import dev.jsmtp.AccessToken;
import dev.jsmtp.Escaping;
import dev.jsmtp.oauth2.OAuth2Login;
import dev.jsmtp.oauth2.OAuth2Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code jsmtp oauth2 login|token|logout}: signs an account in with OAuth2 (RFC 6749, with PKCE per RFC 7636 or
 * the device grant of RFC 8628), prints a fresh access token for other programs, and forgets the sign-in. The
 * token is printed by {@code token} only, and only on standard output.
 */
@Command(name = "oauth2", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Sign an account in with OAuth2 (Gmail, Microsoft 365, others), so that 'jsmtp send "
                + "--account NAME' can use XOAUTH2 or OAUTHBEARER.",
        exitCodeOnInvalidInput = ExitCode.USAGE, footerHeading = "%nExamples:%n", footer = {
            "  jsmtp oauth2 login  --account work    # sign in once (browser or device code)",
            "  jsmtp send --account work --to you@example.net --subject Hi --body Hello  # refreshes tokens",
            "  jsmtp oauth2 token  --account work    # print a valid access token, e.g. for another program",
            "  jsmtp oauth2 logout --account work    # forget the stored sign-in",
            "",
            "The account's section of the accounts file names the provider and the client, e.g.",
            "  account work",
            "  server smtp.office365.com:587",
            "  user me@contoso.com",
            "  oauth2-provider microsoft",
            "  oauth2-client-id 00000000-1111-2222-3333-444444444444",
            "  oauth2-tenant contoso.onmicrosoft.com",
            "The client ID and secret may instead come from $" + OAuth2Account.CLIENT_ID_ENV + " and",
            "$" + OAuth2Account.CLIENT_SECRET_ENV + ". The sign-in is kept in ~/.config/jsmtp/tokens/ACCOUNT.json",
            "(mode 0600), or by a keyring helper named with 'oauth2-token-store-cmd CMD'. See docs/oauth2.md.",
            "",
            "Exit status: 0 done; 64 usage; 74 token file unreadable or unwritable; 75 the provider could",
            "not be reached or the sign-in timed out (retry later); 77 sign-in required or refused;",
            "78 configuration error."})
public final class OAuth2Command implements Callable<Integer> {

    private final Cli cli;
    private OAuth2Login login;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public OAuth2Command(Cli cli) {
        // The HTTP client is built only when a subcommand runs: --help and completion need none.
        this(cli, null);
    }

    /** With a chosen browser, clock and HTTP client (tests play the browser). */
    OAuth2Command(Cli cli, OAuth2Login login) {
        this.cli = cli;
        this.login = login;
    }

    /** Which account: the options every subcommand takes. */
    static final class Target {
        @Option(names = "--account", paramLabel = "NAME",
                description = "The account of the accounts file (default: its default account).")
        String account;

        @Option(names = "--config", paramLabel = "FILE",
                description = "The accounts file (default: $JSMTP_CONFIG, else ~/.config/jsmtp/config).")
        Path config;

        OAuth2Account resolve(Cli cli) throws CliException {
            Account a = AccountsFile.load(Optional.ofNullable(config), cli).select(Optional.ofNullable(account));
            return OAuth2Account.of(a, cli);
        }
    }

    private OAuth2Login login() {
        if (login == null) {
            login = OAuth2Login.builder().build();
        }
        return login;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.USAGE;
    }

    @Command(name = "login", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            usageHelpAutoWidth = true,
            description = "Sign the account in and store its refresh token: the browser (the address is printed; "
                    + "without a browser here, paste back the address it ends on), or a device code to enter on "
                    + "another device. For client-credentials accounts, checks that the secret works.",
            footerHeading = "%nExamples:%n", footer = {
                "  jsmtp oauth2 login --account gmail",
                "  JSMTP_OAUTH2_CLIENT_SECRET=... jsmtp oauth2 login --account gmail --config ./accounts"})
    int login(@CommandLine.Mixin Target target) {
        try {
            OAuth2Account account = target.resolve(cli);
            OAuth2Settings settings = account.parsed();
            BufferedReader keyboard = new BufferedReader(new InputStreamReader(cli.in(), StandardCharsets.UTF_8));
            try {
                login().signIn(account.name(), settings, cli.out(), keyboard);
            } catch (IOException | IllegalArgumentException e) {
                throw account.failure(e);
            }
            cli.out().flush();
            return ExitCode.OK;
        } catch (CliException e) {
            return failed(e);
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            usageHelpAutoWidth = true,
            description = "Print a valid access token for the account on standard output (refreshed first when "
                    + "it is about to expire), for programs that cannot sign in themselves. Treat it as a password.",
            footerHeading = "%nExamples:%n", footer = {
                "  jsmtp oauth2 token --account work",
                "  jsmtp send --account other --oauth2-token-cmd 'jsmtp oauth2 token --account work' ..."})
    int token(@CommandLine.Mixin Target target) {
        try {
            OAuth2Account account = target.resolve(cli);
            AccessToken token;
            try {
                token = login().provider(account.name(), account.parsed()).token();
            } catch (IOException | IllegalArgumentException e) {
                throw account.failure(e);
            }
            cli.out().println(token.value());
            cli.out().flush();
            return ExitCode.OK;
        } catch (CliException e) {
            return failed(e);
        }
    }

    @Command(name = "logout", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            usageHelpAutoWidth = true,
            description = "Forget the account's stored sign-in. The provider still knows the grant: revoke it at "
                    + "https://myaccount.google.com/permissions or https://myapps.microsoft.com to cut jsmtp off.",
            footerHeading = "%nExamples:%n", footer = {"  jsmtp oauth2 logout --account work"})
    int logout(@CommandLine.Mixin Target target) {
        try {
            OAuth2Account account = target.resolve(cli);
            boolean removed;
            try {
                // Only the token store's keys are read: logging out runs no secret command.
                removed = OAuth2Login.logout(account.name(), account.settings());
            } catch (IOException | IllegalArgumentException e) {
                throw account.failure(e);
            }
            String name = Escaping.escape(account.name());
            cli.out().println(removed ? "Signed out account \"" + name + "\": its stored sign-in is deleted."
                    : "Account \"" + name + "\" had no stored sign-in.");
            return ExitCode.OK;
        } catch (CliException e) {
            return failed(e);
        }
    }

    private int failed(CliException e) {
        cli.err().println("jsmtp: " + e.getMessage());
        return e.exitCode();
    }
}
