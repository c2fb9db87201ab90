package dev.jsmtp.cli;

import dev.jsmtp.BodyType;
import dev.jsmtp.Envelope;
import dev.jsmtp.Escaping;
import dev.jsmtp.MessageContent;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpConnection;
import dev.jsmtp.SmtpException;
import dev.jsmtp.TlsMode;
import dev.jsmtp.session.PipelinedBatch;
import dev.jsmtp.session.Session;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code jsmtp load}: a load generator in the style of Postfix's smtp-source, sending many RFC 5321 mail
 * transactions over reused connections and reporting throughput, latency and client turns per message.
 */
@Command(name = "load", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Send --messages generated messages over --connections reused connections (like Postfix's "
                + "smtp-source) and print messages/s, bytes/s, latency percentiles and client turns per message. "
                + "Exit 0 only when every message got a 2xx final reply and every recipient was accepted.",
        footerHeading = "%nExample:%n",
        footer = "  jsmtp load --server 127.0.0.1:2525 --tls none --messages 10000 --connections 4 --size 2000")
public final class LoadCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int USAGE = 64;
    static final int UNAVAILABLE = 69;
    static final int TEMPORARY_FAILURE = 75;

    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--server"}, required = true, paramLabel = "HOST[:PORT]",
            description = "The SMTP server. The port defaults from --tls: implicit 465, starttls 587, "
                    + "starttls-opportunistic and none 25.")
    String server;

    @Option(names = "--tls", paramLabel = "MODE",
            description = "implicit | starttls | starttls-opportunistic | none. Default: implicit on port 465 "
                    + "(or no port), starttls on any other port.")
    String tls;

    @Option(names = "--cafile", paramLabel = "PEM", description = "Trust only the CA certificates in this PEM file.")
    Path cafile;

    @Option(names = "--insecure-skip-verify",
            description = "Accept any certificate and host name. For throwaway test servers only.")
    boolean insecureSkipVerify;

    @Option(names = {"-m", "--messages"}, paramLabel = "N", defaultValue = "1000",
            description = "Messages to send (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = {"-c", "--connections"}, paramLabel = "C", defaultValue = "1",
            description = "Connections in parallel, each reused for its share (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-r", "--recipients"}, paramLabel = "R", defaultValue = "1",
            description = "Recipients per message (default: ${DEFAULT-VALUE}).")
    int recipients;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "1000",
            description = "Size of each message, header included (at least the header's size; "
                    + "default: ${DEFAULT-VALUE}). Large messages are generated as they are sent, never held.")
    long size;

    @Option(names = {"-w", "--window"}, paramLabel = "W", defaultValue = "1",
            description = "Transactions pipelined together on each connection when the server offers PIPELINING "
                    + "and the message is at most 64 KiB: with CHUNKING W whole transactions in one flight, "
                    + "without it one turn per message (each message's data opens the next one's MAIL, RCPT and "
                    + "DATA); otherwise one at a time. A message's latency is then its flight's "
                    + "(default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = {"-f", "--from"}, paramLabel = "ADDR", defaultValue = "load@example.org",
            description = "The reverse-path (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--to-domain", paramLabel = "DOMAIN", defaultValue = "example.org",
            description = "Recipients are rcptN@DOMAIN (default: ${DEFAULT-VALUE}).")
    String toDomain;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Bounds the connect and each complete reply (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--no-chunking", description = "Do not use CHUNKING (BDAT) even when offered.")
    boolean noChunking;

    @Option(names = "--no-pipelining", description = "Do not use PIPELINING even when offered.")
    boolean noPipelining;

    @Option(names = "--json", description = "Print the results as one JSON object, for scripts.")
    boolean json;

    /** Runs the command on its own, before it is registered in {@code jsmtp}'s Main (used by bench/run.sh). */
    public static void main(String[] args) {
        CommandLine cmd = new CommandLine(new LoadCommand());
        cmd.getCommandSpec().exitCodeOnInvalidInput(USAGE);
        System.exit(cmd.execute(args));
    }

    @Override
    public Integer call() {
        checkOptions();
        try (SmtpClient client = client()) {
            return run(client);
        }
    }

    private int run(SmtpClient client) {
        Envelope envelope = envelope();
        LoadMessage message = LoadMessage.of(from, envelope.forwardPaths().get(0).toString(), size);
        MessageContent content = message.content();

        Tally tally = new Tally(messages);
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < Math.min(connections, messages); i++) {
            Thread t = new Thread(() -> work(client, envelope, content, window, next, tally), "load-" + i);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long elapsed = System.nanoTime() - start;
        LoadReport report = tally.report(elapsed, message.size());
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? report.toJson() : report.toText());
        out.flush();
        if (report.firstError() != null) {
            spec.commandLine().getErr().println("jsmtp load: first failure: " + report.firstError());
            spec.commandLine().getErr().flush();
        }
        if (report.failed() == 0) {
            return OK;
        }
        // Nothing got through and the reason is one the send command knows (an untrusted certificate, a refused
        // password, an unknown host): the same exit status as a send would give, not a generic one.
        SmtpException cause = tally.firstException();
        if (report.succeeded() == 0 && cause != null) {
            return ExitCode.of(cause);
        }
        return tally.anyPermanent() ? UNAVAILABLE : TEMPORARY_FAILURE;
    }

    /**
     * One connection's loop: takes up to {@code window} message numbers at a time until none are left; a lost
     * connection is opened again.
     */
    private static void work(SmtpClient client, Envelope envelope, MessageContent content, int window,
                             AtomicInteger next, Tally tally) {
        SmtpConnection connection = null;
        boolean oneAtATime = window == 1 || !PipelinedBatch.fits(content);
        List<Integer> indices = new ArrayList<>(window);
        try {
            while (true) {
                indices.clear();
                for (int index; indices.size() < window && (index = next.getAndIncrement()) < tally.total(); ) {
                    indices.add(index);
                }
                if (indices.isEmpty()) {
                    return;
                }
                if (connection == null || !connection.isUsable()) {
                    if (connection != null) {
                        connection.close();
                    }
                    try {
                        connection = client.connect(SmtpConnection.Stage.AUTH);
                    } catch (IOException | RuntimeException e) {
                        // No connection: this worker stops; the messages nobody sent count as failed.
                        connection = null;
                        indices.forEach(i -> tally.failed(i, e));
                        return;
                    }
                }
                List<Integer> alone = indices;
                if (!oneAtATime && connection instanceof Session session && PipelinedBatch.supported(session)) {
                    alone = sendBatch(session, envelope, content, indices, tally);
                    // The server refused a pipelined MAIL: it takes one transaction at a time.
                    oneAtATime = !alone.isEmpty();
                }
                for (int index : alone) {
                    sendAlone(connection, envelope, content, index, tally);
                }
            }
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    private static void sendAlone(SmtpConnection connection, Envelope envelope, MessageContent content, int index,
                                  Tally tally) {
        long turnsBefore = turns(connection);
        long t0 = System.nanoTime();
        try {
            SendResult result = connection.send(envelope, content);
            tally.done(index, System.nanoTime() - t0, turns(connection) - turnsBefore, result);
        } catch (IOException | RuntimeException e) {
            tally.failed(index, e);
        }
    }

    /** Sends the messages in one flight; returns those the server did not take, to be sent alone. */
    private static List<Integer> sendBatch(Session session, Envelope envelope, MessageContent content,
                                           List<Integer> indices, Tally tally) {
        List<PipelinedBatch.Item> items = new ArrayList<>(indices.size());
        for (int i = 0; i < indices.size(); i++) {
            items.add(new PipelinedBatch.Item(envelope, content));
        }
        long turnsBefore = session.clientTurns();
        long t0 = System.nanoTime();
        PipelinedBatch.Result result = PipelinedBatch.run(session, items);
        long elapsed = System.nanoTime() - t0;
        // The flight's turns are booked on its first message: the sum per message is what is reported.
        long turns = session.clientTurns() - turnsBefore;
        List<Integer> alone = new ArrayList<>();
        for (int i = 0; i < indices.size(); i++) {
            PipelinedBatch.Outcome outcome = result.outcomes().get(i);
            if (outcome.result() != null) {
                tally.done(indices.get(i), elapsed, i == 0 ? turns : 0, outcome.result());
            } else if (outcome.failure() != null) {
                tally.failed(indices.get(i), outcome.failure());
            } else {
                alone.add(indices.get(i));
            }
        }
        return alone;
    }

    /** Client turns so far; -1 when the connection does not count them. */
    private static long turns(SmtpConnection connection) {
        // Session.clientTurns() is public but lives in a package the core does not export.
        return connection instanceof Session session ? session.clientTurns() : -1;
    }

    private void checkOptions() {
        CommandLine cl = spec.commandLine();
        if (messages < 1 || connections < 1 || recipients < 1 || size < 1 || timeoutSeconds < 1) {
            throw new ParameterException(cl,
                    "--messages, --connections, --recipients, --size and --timeout must be positive");
        }
        if (window < 1 || window > 1000) {
            throw new ParameterException(cl, "--window " + window + ": must be 1 to 1000");
        }
        if (insecureSkipVerify && cafile != null) {
            throw new ParameterException(cl, "--cafile and --insecure-skip-verify exclude each other");
        }
    }

    private SmtpClient client() {
        CommandLine cl = spec.commandLine();
        String host = server;
        int port = -1;
        int colon = server.lastIndexOf(':');
        boolean bracketed = server.startsWith("[");
        if (colon > 0 && (bracketed ? server.lastIndexOf(']') < colon : server.indexOf(':') == colon)) {
            host = server.substring(0, colon);
            try {
                port = Integer.parseInt(server.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new ParameterException(cl, "--server: port is not a number: " + Escaping.escape(server));
            }
        }
        if (bracketed) {
            host = host.substring(1, host.length() - 1);
        }
        TlsMode mode;
        try {
            mode = tls != null ? TlsMode.fromCliName(tls)
                    : port == -1 || port == 465 ? TlsMode.IMPLICIT : TlsMode.STARTTLS_REQUIRED;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--tls: " + e.getMessage());
        }
        try {
            SmtpClient.Builder builder = SmtpClient.builder(host).tlsMode(mode)
                    .timeout(Duration.ofSeconds(timeoutSeconds))
                    .pipelining(!noPipelining).chunking(!noChunking);
            if (port != -1) {
                builder.port(port);
            }
            if (cafile != null) {
                builder.trustedCertificates(cafile);
            }
            if (insecureSkipVerify) {
                builder.trustAllCertificatesDangerously();
            }
            return builder.build();
        } catch (IOException | IllegalArgumentException e) {
            throw new ParameterException(cl, Escaping.escape(String.valueOf(e.getMessage())));
        }
    }

    private Envelope envelope() {
        String[] to = new String[recipients];
        for (int i = 0; i < recipients; i++) {
            to[i] = "rcpt" + (i + 1) + "@" + toDomain;
        }
        try {
            return Envelope.of(from, to);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--from/--to-domain: " + e.getMessage());
        }
    }

    /** Per-message outcomes, written by the connection threads, each into its own slot. */
    static final class Tally {
        private final long[] latencyNanos;
        private final long[] turns;
        private final boolean[] ok;
        private final AtomicInteger refusedRecipients = new AtomicInteger();
        private final AtomicReference<String> firstError = new AtomicReference<>();
        private final AtomicReference<SmtpException> firstException = new AtomicReference<>();
        private volatile boolean anyPermanent;

        Tally(int total) {
            latencyNanos = new long[total];
            turns = new long[total];
            ok = new boolean[total];
            Arrays.fill(latencyNanos, -1);
        }

        int total() {
            return ok.length;
        }

        void done(int index, long nanos, long turnCount, SendResult result) {
            latencyNanos[index] = nanos;
            turns[index] = turnCount;
            boolean positive = result.finalReply().isPositive();
            int refused = result.refused().size();
            refusedRecipients.addAndGet(refused);
            ok[index] = positive && refused == 0;
            if (!ok[index]) {
                anyPermanent |= !result.finalReply().isTransientNegative()
                        || result.refused().stream().anyMatch(r -> !r.reply().isTransientNegative());
                firstError.compareAndSet(null, positive ? "refused recipients: " + result.refused()
                        : "final reply " + result.finalReply());
            }
        }

        void failed(int index, Exception e) {
            latencyNanos[index] = -1;
            anyPermanent |= !(e instanceof SmtpException s) || !s.isTransient();
            if (firstError.compareAndSet(null, Escaping.escape(String.valueOf(e.getMessage())))
                    && e instanceof SmtpException s) {
                firstException.set(s);
            }
        }

        /** The exception behind the first failure, when the first failure was one. */
        SmtpException firstException() {
            return firstException.get();
        }

        boolean anyPermanent() {
            return anyPermanent;
        }

        /** Must be called after every connection thread has ended. */
        LoadReport report(long elapsedNanos, long messageSize) {
            long[] sent = Arrays.stream(latencyNanos).filter(n -> n >= 0).sorted().toArray();
            int succeeded = 0;
            long turnSum = 0;
            boolean turnsKnown = true;
            for (int i = 0; i < ok.length; i++) {
                succeeded += ok[i] ? 1 : 0;
                if (latencyNanos[i] >= 0) {
                    turnsKnown &= turns[i] >= 0;
                    turnSum += turns[i];
                }
            }
            double seconds = elapsedNanos / 1e9;
            double turnsPerMessage = turnsKnown && sent.length > 0 ? (double) turnSum / sent.length : Double.NaN;
            return new LoadReport(ok.length, succeeded, ok.length - succeeded, refusedRecipients.get(), messageSize,
                    seconds, succeeded / seconds, succeeded * (double) messageSize / seconds,
                    percentile(sent, 50), percentile(sent, 90), percentile(sent, 99),
                    sent.length == 0 ? Double.NaN : sent[sent.length - 1] / 1e6, turnsPerMessage, firstError.get());
        }

        /** Nearest-rank percentile in milliseconds. */
        private static double percentile(long[] sorted, int p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, rank - 1)] / 1e6;
        }
    }

    /** What one run measured. Latencies are in milliseconds; NaN where nothing was measured. */
    record LoadReport(int messages, int succeeded, int failed, int refusedRecipients, long messageSize,
                      double seconds, double messagesPerSecond, double bytesPerSecond, double p50, double p90,
                      double p99, double max, double turnsPerMessage, String firstError) {

        String toText() {
            return String.format(Locale.ROOT, "messages %d sent %d failed %d refused-recipients %d size %d%n"
                            + "time %.3f s  %.1f messages/s  %s/s%n"
                            + "latency ms p50 %s p90 %s p99 %s max %s%n"
                            + "client turns per message %s",
                    messages, succeeded, failed, refusedRecipients, messageSize, seconds, messagesPerSecond,
                    bytes(bytesPerSecond), text(p50), text(p90), text(p99), text(max), text(turnsPerMessage));
        }

        /** Three decimals, or a dash where nothing was measured (no message got a reply). */
        private static String text(double d) {
            return Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "-";
        }

        String toJson() {
            return String.format(Locale.ROOT, "{\"messages\":%d,\"succeeded\":%d,\"failed\":%d,"
                            + "\"refusedRecipients\":%d,\"messageSize\":%d,\"seconds\":%s,\"messagesPerSecond\":%s,"
                            + "\"bytesPerSecond\":%s,\"latencyMs\":{\"p50\":%s,\"p90\":%s,\"p99\":%s,\"max\":%s},"
                            + "\"clientTurnsPerMessage\":%s,\"firstError\":%s}",
                    messages, succeeded, failed, refusedRecipients, messageSize, num(seconds),
                    num(messagesPerSecond), num(bytesPerSecond), num(p50), num(p90), num(p99), num(max),
                    num(turnsPerMessage), firstError == null ? "null" : quote(firstError));
        }

        private static String num(double d) {
            return Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "null";
        }

        private static String quote(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20) {
                    b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.append('"').toString();
        }

        private static String bytes(double perSecond) {
            return perSecond >= 1e6 ? String.format(Locale.ROOT, "%.1f MB", perSecond / 1e6)
                    : String.format(Locale.ROOT, "%.1f kB", perSecond / 1e3);
        }
    }

    /**
     * The generated message: a short header and CRLF lines of 76 letters and digits, exactly {@code size} octets
     * (or the header alone when {@code size} is smaller). Held in memory up to 1 MiB, streamed beyond.
     */
    record LoadMessage(byte[] header, long size) {

        private static final int LINE = 78;
        private static final byte[] BLOCK = block();

        static LoadMessage of(String from, String to, long size) {
            byte[] header = ("From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: jsmtp load\r\n"
                    + "Message-ID: <load@jsmtp.invalid>\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=us-ascii\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            // A body of one octet could only be a lone CR or LF: make it a whole empty line.
            long total = size == header.length + 1 ? size + 1 : Math.max(size, header.length);
            return new LoadMessage(header, total);
        }

        MessageContent content() {
            if (size <= 1 << 20) {
                try {
                    return MessageContent.of(stream().readAllBytes());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            // CRLF lines by construction (the sizes test checks it), so BDAT sends them without a line scan.
            return MessageContent.of(this::stream, OptionalLong.of(size), BodyType.SEVEN_BIT, false, true);
        }

        InputStream stream() {
            return new InputStream() {
                private long position;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                /**
                 * Writes straight from the header and the shared block (whole 64 KiB runs, no copy), so that what
                 * is measured is the client and not this generator; only the last three octets go through read().
                 */
                @Override
                public long transferTo(java.io.OutputStream out) throws IOException {
                    long total = 0;
                    long untouched = Math.min(size, Math.max(size - 3, header.length));
                    while (position < untouched) {
                        long p = position;
                        int run;
                        if (p < header.length) {
                            run = (int) Math.min(untouched - p, header.length - p);
                            out.write(header, (int) p, run);
                        } else {
                            int at = (int) ((p - header.length) % BLOCK.length);
                            run = (int) Math.min(untouched - p, BLOCK.length - at);
                            out.write(BLOCK, at, run);
                        }
                        position += run;
                        total += run;
                    }
                    byte[] tail = new byte[3];
                    for (int n; (n = read(tail, 0, tail.length)) > 0; total += n) {
                        out.write(tail, 0, n);
                    }
                    return total;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (position >= size) {
                        return -1;
                    }
                    int n = (int) Math.min(len, size - position);
                    for (int done = 0; done < n; ) {
                        long p = position + done;
                        int run;
                        if (p < header.length) {
                            run = (int) Math.min(n - done, header.length - p);
                            System.arraycopy(header, (int) p, b, off + done, run);
                        } else {
                            int at = (int) ((p - header.length) % BLOCK.length);
                            run = Math.min(n - done, BLOCK.length - at);
                            System.arraycopy(BLOCK, at, b, off + done, run);
                        }
                        done += run;
                    }
                    finishLastLine(b, off, n);
                    position += n;
                    return n;
                }

                /** The last two octets are CRLF, and the one before them is not a lone CR. */
                private void finishLastLine(byte[] b, int off, int n) {
                    for (long p = Math.max(position, Math.max(size - 3, header.length)); p < position + n; p++) {
                        int i = off + (int) (p - position);
                        if (p == size - 1) {
                            b[i] = '\n';
                        } else if (p == size - 2) {
                            b[i] = '\r';
                        } else if (b[i] == '\r') {
                            b[i] = 'x';
                        }
                    }
                }
            };
        }

        private static byte[] block() {
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            byte[] block = new byte[LINE * 840];
            for (int i = 0; i < block.length; i++) {
                int column = i % LINE;
                block[i] = (byte) (column == LINE - 2 ? '\r' : column == LINE - 1 ? '\n'
                        : alphabet.charAt((i / LINE + column) % alphabet.length()));
            }
            return block;
        }
    }
}
