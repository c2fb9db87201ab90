package dev.jsmtp.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The {@code jsmtp} command: {@code send}, {@code probe}, {@code demo}, {@code oauth2}, {@code sendmail} and
 * {@code completion}.
 * Invoked as {@code sendmail} (the launcher passes that word first), it behaves as sendmail. Only the subcommand
 * that runs is set up, so a send loads nothing of the others (start-up time matters to cron and mutt).
 */
@Command(name = "jsmtp", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        usageHelpAutoWidth = true, exitCodeOnInvalidInput = ExitCode.USAGE,
        description = "An SMTP client that shows the whole conversation: send mail, test servers, replace sendmail.",
        footerHeading = "%nExamples:%n", footer = {
            "  jsmtp demo                                       # the walk-through against a built-in server",
            "  jsmtp send --server smtp.example.org --user me@example.org --from me@example.org \\",
            "      --to you@example.net --subject Hi --body Hello -v",
            "  jsmtp probe --server mx.example.net:25 --tls starttls-opportunistic",
            "  jsmtp oauth2 login --account gmail                # sign in once; then send --account gmail",
            "  printf 'Subject: cron\\n\\nhello\\n' | jsmtp sendmail -t -i   # or via a 'sendmail' symlink",
            "  source <(jsmtp completion)                       # bash/zsh completion",
            "",
            "Accounts file: ~/.config/jsmtp/config (or --config FILE, or $JSMTP_CONFIG), msmtp style:",
            "  defaults",
            "  tls starttls",
            "  account work",
            "  server smtp.example.org:587",
            "  user me@example.org",
            "  password-cmd pass show mail/work",
            "  from me@example.org",
            "  account default : work",
            "",
            "Exit status (sysexits.h):"})
public final class Main implements Callable<Integer> {

    private static final Set<String> SUBCOMMANDS = Set.of("send", "probe", "demo", "oauth2", "load", "completion");

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int status = run(args, Cli.system());
        System.out.flush();
        System.exit(status);
    }

    /** Runs the command line {@code args} with {@code cli}'s streams and environment; returns the exit status. */
    public static int run(String[] args, Cli cli) {
        if (args.length > 0 && args[0].equals("sendmail")) {
            return new SendmailCommand(cli).run(Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length > 0 && args[0].equals("send")) {
            // A plain send skips picocli's model, whose annotations cost more than the rest of the start.
            SendCommand send = SendArguments.parse(Arrays.copyOfRange(args, 1, args.length), cli);
            if (send != null) {
                try {
                    return send.call();
                } catch (RuntimeException e) {
                    return internalError(cli, e);
                }
            }
        }
        CommandLine cmd = commandLine(cli, args.length > 0 ? args[0] : "");
        return cmd.execute(args);
    }

    static CommandLine commandLine(Cli cli, String first) {
        CommandLine cmd = new CommandLine(new Main());
        // Set up only the subcommand asked for: building the others' models costs start-up time.
        boolean all = !SUBCOMMANDS.contains(first);
        if (all || first.equals("send")) {
            cmd.addSubcommand("send", new SendCommand(cli));
        }
        if (all || first.equals("probe")) {
            cmd.addSubcommand("probe", new ProbeCommand(cli));
        }
        if (all || first.equals("oauth2") || first.equals("completion")) {
            cmd.addSubcommand("oauth2", new OAuth2Command(cli));
        }
        if (all || first.equals("load") || first.equals("completion")) {
            cmd.addSubcommand("load", new LoadCommand());
        }
        if (all || first.equals("demo") || first.equals("completion")) {
            cmd.addSubcommand("demo", new DemoCommand(cli));
        }
        if (all || first.equals("completion")) {
            if (first.equals("completion")) {
                cmd.addSubcommand("send", new SendCommand(cli));
                cmd.addSubcommand("probe", new ProbeCommand(cli));
            }
            cmd.addSubcommand("sendmail", new SendmailHelp());
            cmd.addSubcommand("completion", new AutoComplete.GenerateCompletion());
            PicocliRules.completion(cmd.getSubcommands().get("completion").getCommandSpec());
        }
        PicocliRules.apply(cmd, cli);
        // Wide enough for the examples' command lines; picocli would otherwise wrap at 80 columns.
        cmd.setUsageHelpWidth(100);
        cmd.setOut(new PrintWriter(cli.out(), true));
        cmd.setErr(new PrintWriter(cli.err(), true));
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> internalError(cli, e));
        cmd.getCommandSpec().usageMessage().footer(footer());
        return cmd;
    }

    private static int internalError(Cli cli, Exception e) {
        // Exceptions from the core quote hostile text escaped already: escape only what is left.
        cli.err().println("jsmtp: internal error: " + TranscriptPrinter.controlsEscaped(String.valueOf(e)));
        return ExitCode.SOFTWARE;
    }

    private static String[] footer() {
        String[] base = Main.class.getAnnotation(Command.class).footer();
        String[] all = Arrays.copyOf(base, base.length + ExitCode.HELP.length);
        for (int i = 0; i < ExitCode.HELP.length; i++) {
            all[base.length + i] = "  " + ExitCode.HELP[i];
        }
        return all;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.USAGE;
    }

    /** Only shows help: sendmail mode has its own getopt-style parser (see {@link SendmailArguments}). */
    @Command(name = "sendmail", description = "Act as sendmail: the message on standard input, recipients as "
            + "arguments or with -t from its headers (Bcc removed), the default account, all or nothing.",
            footerHeading = "%nOptions (getopt style, as cron, mutt and git send-email pass them):%n", footer = {
                "  -t          recipients from To, Cc and Bcc (added to any given as arguments)",
                "  -i, -oi     a line with a single dot does not end the message",
                "  -f ADDR     envelope sender (default: the account's 'from')",
                "  -F NAME     full name for a From: header added when the message has none",
                "  -B TYPE     7BIT or 8BITMIME (the body type is detected anyway)",
                "  -N LIST     DSN NOTIFY: never or success,failure,delay",
                "  -R full|hdrs DSN RET;  -V ID  DSN ENVID",
                "  -C FILE     accounts file;  -a NAME  account;  -v  transcript on standard error",
                "  -o…         other sendmail options are accepted and ignored;  --  ends the options",
                "",
                "Example: printf 'To: you@example.net\\nSubject: hi\\n\\nhello\\n' | jsmtp sendmail -t -i"})
    static final class SendmailHelp implements Callable<Integer> {
        @Override
        public Integer call() {
            return ExitCode.USAGE;
        }
    }

    /** The version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/jsmtp-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"jsmtp " + p.getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
