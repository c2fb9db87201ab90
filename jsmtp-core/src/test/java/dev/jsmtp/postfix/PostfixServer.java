package dev.jsmtp.postfix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A private Postfix instance on loopback, started by {@code scripts/test-postfix.sh}, that a test sends mail to
 * over SMTP (RFC 5321) and whose deliveries and log it reads back. Obtain it through {@link PostfixExtension};
 * {@link #close()} stops the instance only when a test run started it and no other run still uses it.
 */
public final class PostfixServer implements AutoCloseable {

    private static final Pattern QUEUED_AS = Pattern.compile("queued as ([0-9A-Za-z]+)");
    private static final String[] QUEUE_DIRECTORIES = {"maildrop", "incoming", "active", "deferred", "hold"};

    private final Path stateDirectory;
    private final Map<String, String> ports;
    private final Optional<Path> script;

    PostfixServer(Path stateDirectory, Map<String, String> ports, Optional<Path> script) {
        this.stateDirectory = stateDirectory;
        this.ports = Map.copyOf(ports);
        this.script = script;
    }

    /** Reads {@code ports.env} in {@code stateDirectory}; {@code script} is given when this JVM started it. */
    static PostfixServer fromStateDirectory(Path stateDirectory, Optional<Path> script) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(stateDirectory.resolve("ports.env"), StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new PostfixServer(stateDirectory, values, script);
    }

    public String host() {
        return value("JSMTP_POSTFIX_HOST");
    }

    /** No TLS, no AUTH. */
    public int plainPort() {
        return intValue("JSMTP_POSTFIX_PLAIN_PORT");
    }

    /** No TLS, AUTH PLAIN, LOGIN and CRAM-MD5 over cleartext. */
    public int plainAuthPort() {
        return intValue("JSMTP_POSTFIX_PLAIN_AUTH_PORT");
    }

    /** STARTTLS offered; AUTH only after it. */
    public int submissionPort() {
        return intValue("JSMTP_POSTFIX_SUBMISSION_PORT");
    }

    /** Implicit TLS (RFC 8314), AUTH offered. */
    public int submissionsPort() {
        return intValue("JSMTP_POSTFIX_SUBMISSIONS_PORT");
    }

    public String username() {
        return value("JSMTP_POSTFIX_USER");
    }

    public String password() {
        return value("JSMTP_POSTFIX_PASSWORD");
    }

    /** The PEM of the CA that signed the server's certificate (SAN DNS:localhost, IP:127.0.0.1). */
    public Path caPem() {
        return Path.of(value("JSMTP_POSTFIX_CA"));
    }

    /** The recipient the server refuses with 550 5.1.1. */
    public String rejectedRecipient() {
        return value("JSMTP_POSTFIX_REJECTED");
    }

    /** The SIZE limit the server announces, in octets. */
    public long sizeLimit() {
        return Long.parseLong(value("JSMTP_POSTFIX_SIZE_LIMIT"));
    }

    public String version() {
        return ports.getOrDefault("JSMTP_POSTFIX_VERSION", "");
    }

    public Path maildir() {
        return Path.of(value("JSMTP_POSTFIX_MAILDIR"));
    }

    public Path logFile() {
        return Path.of(value("JSMTP_POSTFIX_LOG"));
    }

    /** The queue id in Postfix's reply to the end of data ({@code 250 2.0.0 Ok: queued as 4F2C120C37A}). */
    public static String queueId(String finalReplyText) {
        Matcher m = QUEUED_AS.matcher(finalReplyText);
        if (!m.find()) {
            throw new IllegalArgumentException("no queue id in reply: " + finalReplyText);
        }
        return m.group(1);
    }

    /**
     * Waits for the delivery of a message: {@code key} is a queue id, or a recipient address (it has an '@'), in
     * which case the most recent delivery to that recipient is returned.
     *
     * @throws AssertionError naming what was delivered instead, when nothing matched within {@code timeout}
     */
    public DeliveredMessage awaitMessage(String key, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<DeliveredMessage> found = key.indexOf('@') >= 0 ? latestFor(key) : byQueueId(key);
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no message for " + key + " delivered within " + timeout
                        + "; delivered: " + messages() + "; queue: " + queuedFiles() + "; log tail:\n"
                        + logTail(15));
            }
            sleep(50);
        }
    }

    /** Everything delivered so far, oldest first by queue file time. */
    public List<DeliveredMessage> messages() {
        List<DeliveredMessage> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(maildir())) {
            files.filter(f -> f.getFileName().toString().endsWith(".eml")).sorted((a, b) -> {
                try {
                    return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
                } catch (IOException e) {
                    return 0;
                }
            }).forEach(f -> {
                String name = f.getFileName().toString();
                byQueueId(name.substring(0, name.length() - 4)).ifPresent(out::add);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The messages delivered to {@code recipient}, oldest first. */
    public List<DeliveredMessage> messagesFor(String recipient) {
        return messages().stream().filter(m -> m.forwardPaths().contains(recipient)).toList();
    }

    /**
     * Waits until Postfix's queue holds no message (every accepted message delivered), so that a test can then
     * check that something was NOT delivered.
     */
    public void awaitQueueEmpty(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!queuedFiles().isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Postfix queue not empty after " + timeout + ": " + queuedFiles());
            }
            sleep(50);
        }
    }

    /** The whole log so far. */
    public String log() {
        try {
            return Files.readString(logFile(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits for the {@code disconnect from …} line of the smtpd session that queued {@code queueId}; it counts
     * the commands the session received, such as {@code mail=1 rcpt=3 bdat=1 quit=1 commands=6}.
     */
    public String awaitDisconnectLine(String queueId, Duration timeout) {
        Pattern client = Pattern.compile("(postfix/[^\\[ ]*smtpd\\[\\d+\\]): " + Pattern.quote(queueId) + ": client=");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = log().lines().toList();
            String process = null;
            for (String line : lines) {
                Matcher m = client.matcher(line);
                if (process == null && m.find()) {
                    process = m.group(1);
                } else if (process != null && line.contains(process + ": disconnect from ")) {
                    return line;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no disconnect line for the session of " + queueId + " within " + timeout
                        + "; log tail:\n" + logTail(20));
            }
            sleep(50);
        }
    }

    /** The last {@code n} lines of the log, for failure messages. */
    public String logTail(int n) {
        List<String> lines = log().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /**
     * Stops the instance if a test run started it and no other live test run still uses it; leaves one that the
     * build started running.
     */
    @Override
    public void close() throws IOException {
        if (script.isPresent() && PostfixExtension.release(stateDirectory)) {
            try {
                PostfixExtension.runScript(script.get(), stateDirectory, "stop", Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping Postfix", e);
            }
        }
    }

    private Optional<DeliveredMessage> byQueueId(String queueId) {
        Path eml = maildir().resolve(queueId + ".eml");
        Path env = maildir().resolve(queueId + ".env");
        try {
            if (!Files.exists(eml)) {
                return Optional.empty();
            }
            // deliver.sh writes the .env before it renames the .eml into place.
            String reverse = "";
            List<String> forward = new ArrayList<>();
            for (String line : Files.readAllLines(env, StandardCharsets.UTF_8)) {
                if (line.startsWith("MAIL FROM:<") && line.endsWith(">")) {
                    reverse = line.substring("MAIL FROM:<".length(), line.length() - 1);
                } else if (line.startsWith("RCPT TO:<") && line.endsWith(">")) {
                    forward.add(line.substring("RCPT TO:<".length(), line.length() - 1));
                }
            }
            return Optional.of(new DeliveredMessage(queueId, reverse, forward, Files.readAllBytes(eml)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<DeliveredMessage> latestFor(String recipient) {
        List<DeliveredMessage> all = messagesFor(recipient);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    private List<String> queuedFiles() {
        List<String> out = new ArrayList<>();
        Path queue = stateDirectory.resolve("queue");
        for (String dir : QUEUE_DIRECTORIES) {
            Path d = queue.resolve(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(d)) {
                files.filter(Files::isRegularFile).forEach(f -> out.add(queue.relativize(f).toString()));
            } catch (IOException | UncheckedIOException e) {
                // a file Postfix moved while we looked: look again next time
                out.add(dir + "?");
            }
        }
        return out;
    }

    private String value(String key) {
        String v = ports.get(key);
        if (v == null) {
            throw new IllegalStateException(key + " missing from " + stateDirectory.resolve("ports.env"));
        }
        return v;
    }

    private int intValue(String key) {
        return Integer.parseInt(value(key));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for Postfix", e);
        }
    }

    @Override
    public String toString() {
        return "Postfix " + version() + " in " + stateDirectory + " (plain " + plainPort() + ", plain+AUTH "
                + plainAuthPort() + ", STARTTLS " + submissionPort() + ", implicit TLS " + submissionsPort() + ")";
    }
}
