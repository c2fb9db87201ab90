package dev.jsmtp.cli;

import dev.jsmtp.Escaping;

/** A failure the command reports with one line and a sysexits.h status: bad usage, configuration or input. */
public final class CliException extends Exception {

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(Escaping.escape(message));
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(Escaping.escape(message), cause);
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
