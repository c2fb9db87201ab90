package dev.jsmtp.postfix;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Gives integration tests a {@link PostfixServer}, a real SMTP server (RFC 5321) that nobody here wrote: once per
 * test run it reuses the instance the build already started (its {@code ports.env} present and its plain port
 * answering), or runs {@code scripts/test-postfix.sh start} and, at the end of the run, {@code stop}.
 *
 * <p>When this machine cannot install or start Postfix (not root, no apt-get, no bash), the tests are
 * skipped with a loud message — except when {@code CI=true}, where that is a failure. Use it with
 * {@code @ExtendWith(PostfixExtension.class)} and a {@code PostfixServer} parameter.
 *
 * <p>{@code JSMTP_POSTFIX_DIR} (or the system property {@code jsmtp.postfix.dir}) chooses the state directory,
 * default {@code /tmp/jsmtp-postfix}; {@code jsmtp.postfix.script} the script, default found by walking up from
 * the working directory.
 */
public final class PostfixExtension implements BeforeAllCallback, ParameterResolver {

    /** The script's exit code for "Postfix is missing and cannot be installed here". */
    static final int CANNOT_INSTALL = 3;

    /** Marks an instance a test run started (not the build): runs share it and the last one stops it. */
    private static final String STARTED_BY_TESTS = "started-by-tests";
    private static final String TEST_RUNS = "test-runs";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostfixExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostfixServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    private static PostfixServer server(ExtensionContext context) {
        // The root store lives for the whole run and closes the server (an AutoCloseable) at its end.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(PostfixServer.class, key -> startOrReuse(), PostfixServer.class);
    }

    static PostfixServer startOrReuse() {
        Path state = stateDirectory();
        try {
            Optional<PostfixServer> running = alreadyRunning(state);
            if (running.isPresent()) {
                if (!Files.exists(state.resolve(STARTED_BY_TESTS))) {
                    System.err.println("[postfix] reusing the instance the build started: " + running.get());
                    return running.get();
                }
                // Another test run started it: share it, and let the last run to finish stop it.
                register(state);
                System.err.println("[postfix] sharing the instance another test run started: " + running.get());
                return PostfixServer.fromStateDirectory(state, Optional.of(script()));
            }
            Path script = script();
            if (!Files.isExecutable(Path.of("/bin/bash"))) {
                cannotInstall("no /bin/bash on this machine");
            }
            long began = System.nanoTime();
            Result result = runScript(script, state, "start", Duration.ofMinutes(10));
            if (result.exitCode() == CANNOT_INSTALL) {
                cannotInstall(result.output().strip());
            }
            if (result.exitCode() != 0) {
                throw new IllegalStateException("scripts/test-postfix.sh start failed with exit code "
                        + result.exitCode() + ":\n" + result.output());
            }
            Files.writeString(state.resolve(STARTED_BY_TESTS), ProcessHandle.current().pid() + "\n");
            register(state);
            PostfixServer server = PostfixServer.fromStateDirectory(state, Optional.of(script));
            System.err.printf("[postfix] started in %d ms: %s%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), server);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Postfix", e);
        }
    }

    /** Notes that this JVM uses the instance, so that a run that ends first does not stop it under us. */
    private static void register(Path state) throws IOException {
        Path runs = Files.createDirectories(state.resolve(TEST_RUNS));
        Files.writeString(runs.resolve(Long.toString(ProcessHandle.current().pid())), "");
    }

    /** Forgets this JVM's use of the instance; true when no other live test run uses it, so it may be stopped. */
    static boolean release(Path state) throws IOException {
        Path runs = state.resolve(TEST_RUNS);
        Files.deleteIfExists(runs.resolve(Long.toString(ProcessHandle.current().pid())));
        if (!Files.isDirectory(runs)) {
            return true;
        }
        try (var others = Files.list(runs)) {
            return others.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+"))
                    .noneMatch(n -> ProcessHandle.of(Long.parseLong(n)).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    private static void cannotInstall(String why) {
        throw cannotRun(why, "true".equalsIgnoreCase(System.getenv("CI")));
    }

    /** What to throw when Postfix cannot run here: a skip on a developer's machine, a failure on CI. */
    static RuntimeException cannotRun(String why, boolean ci) {
        String message = "Postfix integration tests cannot run: this machine cannot install or start Postfix ("
                + why + "). Run scripts/test-postfix.sh start as root on Debian, or set JSMTP_POSTFIX_DIR to the "
                + "state directory of a running instance.";
        if (ci) {
            return new IllegalStateException(message + " CI=true: this is a failure, not a skip.");
        }
        System.err.println();
        System.err.println("!!!!!!!! SKIPPING POSTFIX TESTS !!!!!!!!");
        System.err.println("!!! " + message);
        System.err.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        System.err.println();
        return new TestAbortedException(message);
    }

    private static Optional<PostfixServer> alreadyRunning(Path state) throws IOException {
        if (!Files.isRegularFile(state.resolve("ports.env"))) {
            return Optional.empty();
        }
        PostfixServer server = PostfixServer.fromStateDirectory(state, Optional.empty());
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.plainPort())) {
            socket.setSoTimeout(5000);
            byte[] greeting = socket.getInputStream().readNBytes(4);
            if (new String(greeting, StandardCharsets.US_ASCII).startsWith("220")) {
                socket.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                return Optional.of(server);
            }
        } catch (IOException e) {
            // a stale ports.env: start afresh
        }
        return Optional.empty();
    }

    static Path stateDirectory() {
        String dir = System.getProperty("jsmtp.postfix.dir", System.getenv("JSMTP_POSTFIX_DIR"));
        return Path.of(dir == null || dir.isBlank() ? "/tmp/jsmtp-postfix" : dir).toAbsolutePath();
    }

    private static Path script() {
        String configured = System.getProperty("jsmtp.postfix.script");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts/test-postfix.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("scripts/test-postfix.sh not found above " + Path.of("").toAbsolutePath()
                + "; set -Djsmtp.postfix.script");
    }

    record Result(int exitCode, String output) {
    }

    static Result runScript(Path script, Path state, String command, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", script.toString(), command).redirectErrorStream(true);
        pb.environment().put("JSMTP_POSTFIX_DIR", state.toString());
        Path output = Files.createTempFile("jsmtp-postfix-" + command, ".log");
        try {
            pb.redirectOutput(output.toFile());
            Process process = pb.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " " + command + " did not finish within " + timeout
                        + ":\n" + Files.readString(output));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (!text.isBlank()) {
                System.err.print(text.lines().map(l -> "[postfix] " + l + "\n").reduce("", String::concat));
            }
            return new Result(process.exitValue(), text);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
