package dev.jsmtp.oauth2;

import dev.jsmtp.Escaping;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs a user's command line through {@code /bin/sh -c}, the way msmtp's {@code passwordeval} does. */
final class ExternalCommand {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What a finished command printed and returned. */
    record Result(int exitStatus, String stdout, String stderr) {
    }

    private ExternalCommand() {
    }

    /** The first line the command prints; fails when it exits non-zero or prints nothing. */
    static String firstLine(String command, String key) throws IOException {
        Result r = run(command, List.of(), Optional.empty(), key);
        if (r.exitStatus() != 0) {
            throw failure(key, r);
        }
        String line = r.stdout().lines().findFirst().orElse("").strip();
        if (line.isEmpty()) {
            throw new IOException(key + " printed nothing");
        }
        return line;
    }

    /**
     * Runs {@code command "$@"} with {@code arguments} passed as positional parameters, so that no argument is ever
     * parsed by the shell.
     */
    static Result run(String command, List<String> arguments, Optional<String> stdin, String key) throws IOException {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", arguments.isEmpty() ? command
                : command + " \"$@\"", "jsmtp"));
        argv.addAll(arguments);
        Process process = new ProcessBuilder(argv).start();
        CompletableFuture<byte[]> out = drain(process.getInputStream());
        CompletableFuture<byte[]> err = drain(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            if (stdin.isPresent()) {
                in.write(stdin.get().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // A command that does not read its input closes the pipe early; its exit status tells the rest.
        }
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(key + " did not finish within " + TIMEOUT.toSeconds() + " s");
            }
            return new Result(process.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
                    new String(err.get(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + key, e);
        } catch (ExecutionException e) {
            throw new IOException("could not read the output of " + key, e.getCause());
        }
    }

    /** An error naming the exit status and the command's own complaint, never its standard output. */
    static IOException failure(String key, Result r) {
        String complaint = r.stderr().strip();
        if (complaint.length() > 300) {
            complaint = complaint.substring(0, 300) + "...";
        }
        return new IOException(key + " exited with status " + r.exitStatus()
                + (complaint.isEmpty() ? "" : ": " + Escaping.escape(complaint)));
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                result.complete(stream.readAllBytes());
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        }, "jsmtp-command-output");
        reader.setDaemon(true);
        reader.start();
        return result;
    }
}
