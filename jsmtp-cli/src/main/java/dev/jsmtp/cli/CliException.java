package dev.jsmtp.cli;

/**
 * A failure the command reports with one line and a sysexits.h status: bad usage, configuration or input. Its
 * message is printable as it is: control characters are escaped, while escapes the core already made (its messages
 * quote hostile text escaped) are left alone, so that every error line is escaped exactly once.
 */
public final class CliException extends Exception {

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(TranscriptPrinter.controlsEscaped(message));
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(TranscriptPrinter.controlsEscaped(message), cause);
        this.exitCode = exitCode;
    }

    /** The status the process exits with, one of {@link ExitCode}'s. */
    public int exitCode() {
        return exitCode;
    }

    public static CliException usage(String message) {
        return new CliException(ExitCode.USAGE, message);
    }

    public static CliException config(String message) {
        return new CliException(ExitCode.CONFIG, message);
    }

    public static CliException data(String message) {
        return new CliException(ExitCode.DATA_ERROR, message);
    }
}
