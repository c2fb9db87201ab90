package dev.jsmtp.cli;

import dev.jsmtp.Escaping;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

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

    /** Why reading {@code file} failed, in words rather than the JDK's exception names: "no such file", … */
    static String whyUnreadable(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(Locale.ROOT);
        }
        return String.valueOf(e.getMessage());
    }
}
