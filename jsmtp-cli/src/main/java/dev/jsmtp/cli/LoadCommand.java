package dev.jsmtp.cli;

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
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

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

        LoadTally tally = new LoadTally(messages);
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
                             AtomicInteger next, LoadTally tally) {
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
                                  LoadTally tally) {
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
                                           List<Integer> indices, LoadTally tally) {
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

    /** Client turns so far on the connection. */
    private static long turns(SmtpConnection connection) {
        return connection.clientTurns();
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
}
