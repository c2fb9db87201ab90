package dev.jsmtp.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command sees of the process it runs in: its standard streams, its environment variables, whether
 * standard input and standard error are terminals, and how to ask for a password without echo. Tests run the
 * commands in-process with their own.
 *
 * @param stdinIsTerminal  true when standard input is a terminal (so the body is not read from it)
 * @param stderrIsTerminal true when standard error is a terminal (so a progress bar may be drawn)
 * @param prompt           reads a password without echo, or is {@code null} when there is no terminal to ask on
 * @param home             the user's home directory, where {@code .config/jsmtp/config} is looked for
 */
public record Cli(InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
                  boolean stdinIsTerminal, boolean stderrIsTerminal, PasswordPrompt prompt, Path home) {

    /** Asks for a password on the terminal without echo. */
    @FunctionalInterface
    public interface PasswordPrompt {
        /** The typed password, or {@code null} at end of input. */
        char[] read(String prompt);
    }

    public Cli {
        env = Map.copyOf(env);
    }

    /**
     * The real process. The launcher tells whether standard input and standard error are terminals
     * ({@code -Djsmtp.stdin.tty}, {@code -Djsmtp.stderr.tty}, from the shell's {@code [ -t ]}), which Java 17 cannot
     * find out by itself; without it, a console means both are.
     */
    public static Cli system() {
        Console console = System.console();
        boolean stdinTty = flag("jsmtp.stdin.tty", console != null);
        boolean stderrTty = flag("jsmtp.stderr.tty", console != null);
        PasswordPrompt prompt = console == null ? null : text -> console.readPassword("%s", text);
        return new Cli(System.in, System.out, System.err, System.getenv(), stdinTty, stderrTty, prompt,
                Path.of(System.getProperty("user.home")));
    }

    private static boolean flag(String property, boolean otherwise) {
        String value = System.getProperty(property);
        return value == null ? otherwise : value.equals("1") || value.equalsIgnoreCase("true");
    }

    /** Prints a warning on standard error. */
    public void warn(String message) {
        err.println("jsmtp: warning: " + message);
    }
}
