package dev.jsmtp.cli;

import dev.jsmtp.Escaping;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * The command-line rules every jsmtp command follows, on picocli. Kept out of {@link Main} on purpose: code there
 * that hands picocli its own types makes the JVM load picocli's classes to verify Main, and a plain {@code send}
 * is parsed without picocli ({@link SendArguments}) to start quickly.
 */
final class PicocliRules {

    private PicocliRules() {
    }

    /** Sets the rules on {@code cmd}: getopt-like parsing, repeated values refused, short usage errors. */
    static void apply(CommandLine cmd, Cli cli) {
        parserSettings(cmd);
        cmd.setExecutionStrategy(parseResult -> {
            refuseRepeatedValues(parseResult);
            return new CommandLine.RunLast().execute(parseResult);
        });
        cmd.setParameterExceptionHandler((e, arguments) -> usageError(cli, e));
    }

    /** picocli's GenerateCompletion, named as jsmtp calls it, with jsmtp's version and examples. */
    static void completion(CommandLine.Model.CommandSpec spec) {
        spec.name("completion");
        spec.versionProvider(new Main.Version());
        spec.usageMessage().hidden(false)
                .description("Print a bash/zsh completion script for jsmtp on standard output.")
                .footerHeading("%nExamples:%n")
                .footer("  source <(jsmtp completion)                         # this shell (bash or zsh)",
                        "  jsmtp completion > ~/.local/share/bash-completion/completions/jsmtp   # bash, for good",
                        "  jsmtp completion > \"${fpath[1]}/_jsmtp\"            # zsh, for good");
    }

    /** The parsing rules every jsmtp command follows; {@link SendArguments} follows them too. */
    static CommandLine parserSettings(CommandLine cmd) {
        // Flags given twice (-v -v, -vv, --json --json) mean what they mean once, as in getopt programs; picocli
        // only allows that by allowing every option twice, so single-valued ones are checked after parsing.
        cmd.setOverwrittenOptionsAllowed(true);
        // getopt's rule: an option that takes a value takes the next argument, even one that starts with a dash
        // (--subject -v, --subject=--json).
        cmd.setAllowOptionsAsOptionParameters(true);
        return cmd;
    }

    /** Parses {@code args} as {@link Main#commandLine} does (for tests of {@link SendArguments}' agreement). */
    static CommandLine.ParseResult parse(CommandLine cmd, String... args) {
        CommandLine.ParseResult result = parserSettings(cmd).parseArgs(args);
        refuseRepeatedValues(result);
        return result;
    }

    /** A single-valued option given twice is an error: taking either value silently could mail the wrong place. */
    private static void refuseRepeatedValues(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            for (CommandLine.Model.OptionSpec o : r.matchedOptions()) {
                if (o.arity().max() > 0 && !o.isMultiValue() && o.originalStringValues().size() > 1) {
                    throw new CommandLine.OverwrittenOptionException(r.commandSpec().commandLine(),
                            o, "option '" + o.longestName() + "' (" + o.paramLabel() + ") should be specified only "
                            + "once, not as " + String.join(" and ", o.originalStringValues()));
                }
            }
        }
    }

    /** Like curl and git: the error and where to find help, not the whole help. */
    private static int usageError(Cli cli, CommandLine.ParameterException e) {
        CommandLine c = e.getCommandLine();
        String name = c.getCommandSpec().qualifiedName();
        PrintWriter err = c.getErr();
        err.println(name + ": " + Escaping.escape(String.valueOf(e.getMessage())));
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + name + " --help' for more information.");
        err.flush();
        return ExitCode.USAGE;
    }

}
