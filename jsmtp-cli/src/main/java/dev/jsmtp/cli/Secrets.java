package dev.jsmtp.cli;

import dev.jsmtp.AccessToken;
import dev.jsmtp.TokenProvider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where a password or an OAuth2 token comes from: an environment variable, a file, a command's output (as msmtp's
 * {@code passwordeval}) or a prompt without echo. Failures are configuration errors that never show the secret.
 */
public final class Secrets {

    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private Secrets() {
    }

    /** The value of environment variable {@code name}. */
    public static char[] fromEnvironment(String name, Cli cli) throws CliException {
        String value = cli.env().get(name);
        if (value == null || value.isEmpty()) {
            throw CliException.config("environment variable " + name + " is not set or empty");
        }
        return value.toCharArray();
    }

    /** The first line of {@code file}; warns when others may read it. */
    public static char[] fromFile(Path file, Cli cli) throws CliException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw CliException.config("cannot read password file " + file + ": " + reason(file, e));
        }
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                cli.warn(file + " holds a password and can be read by group or others (chmod 600 " + file + ")");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to warn about.
        }
        return firstLine(bytes, "password file " + file);
    }

    /** The first line the shell command {@code command} prints; it must exit with status 0. */
    public static char[] fromCommand(String command, String what) throws CliException {
        ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", command));
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        byte[] out;
        int status;
        try {
            Process p = pb.start();
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw CliException.config(what + " command did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            status = p.exitValue();
        } catch (IOException e) {
            throw CliException.config(what + " command could not be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.config(what + " command was interrupted");
        }
        if (status != 0) {
            Arrays.fill(out, (byte) 0);
            throw CliException.config(what + " command exited with status " + status);
        }
        return firstLine(out, what + " command's output");
    }

    /** Asks on the terminal without echo; fails when there is no terminal. */
    public static char[] fromPrompt(String user, Cli cli) throws CliException {
        if (cli.prompt() == null) {
            throw CliException.config("no password for " + user + ": give --password-env, --password-file or "
                    + "--password-cmd (there is no terminal to ask on)");
        }
        char[] typed = cli.prompt().read("Password for " + user + ": ");
        if (typed == null || typed.length == 0) {
            throw CliException.config("no password entered for " + user);
        }
        return typed;
    }

    private static char[] firstLine(byte[] bytes, String what) throws CliException {
        int end = 0;
        while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
            end++;
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, end));
            char[] result = new char[chars.remaining()];
            chars.get(result);
            Arrays.fill(chars.array(), '\0');
            if (result.length == 0) {
                throw CliException.config(what + " is empty");
            }
            return result;
        } catch (CharacterCodingException e) {
            throw CliException.config(what + " is not UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Tokens from an environment variable: the same token each time. */
    public static TokenProvider tokenFromEnvironment(String name, Cli cli) throws CliException {
        char[] value = fromEnvironment(name, cli);
        try {
            return TokenProvider.of(new String(value));
        } catch (IllegalArgumentException e) {
            throw CliException.config("environment variable " + name + ": " + e.getMessage());
        }
    }

    /** Tokens from a command, run again after the server refused the last one. */
    public static TokenProvider tokenFromCommand(String command) {
        return new TokenProvider() {
            private AccessToken cached;

            @Override
            public synchronized AccessToken token() throws IOException {
                if (cached == null) {
                    try {
                        cached = AccessToken.of(new String(fromCommand(command, "--oauth2-token-cmd")));
                    } catch (CliException e) {
                        throw new IOException(e.getMessage(), e);
                    } catch (IllegalArgumentException e) {
                        throw new IOException("--oauth2-token-cmd printed an invalid token: " + e.getMessage());
                    }
                }
                return cached;
            }

            @Override
            public synchronized void invalidate(AccessToken rejected) {
                if (rejected.equals(cached)) {
                    cached = null;
                }
            }
        };
    }

    /**
     * Why reading {@code file} failed, in the words of ls and cat ({@code no such file}, {@code is a directory},
     * {@code permission denied}) rather than a Java exception's name.
     */
    static String reason(Path file, IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (Files.isDirectory(file)) {
            return "is a directory";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        String message = e.getMessage();
        return message == null || message.isEmpty() ? "read error" : message;
    }

    /** Reads the whole standard input (a message). */
    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
