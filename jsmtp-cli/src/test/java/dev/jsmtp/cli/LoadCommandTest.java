package dev.jsmtp.cli;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.jsmtp.MessageContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class LoadCommandTest {

    private GreenMail greenMail;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() {
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
    }

    @AfterEach
    void stop() {
        greenMail.stop();
    }

    private int run(String... args) {
        CommandLine cmd = new CommandLine(new LoadCommand());
        cmd.getCommandSpec().exitCodeOnInvalidInput(LoadCommand.USAGE);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private String greenMailServer() {
        return "127.0.0.1:" + greenMail.getSmtp().getPort();
    }

    @Test
    void sendsEveryMessageToEveryRecipientOverSeveralConnections() throws Exception {
        int exit = run("--server", greenMailServer(), "--tls", "none", "--messages", "12", "--connections", "3",
                "--recipients", "2", "--size", "3000", "--to-domain", "example.net", "--json");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(greenMail.waitForIncomingEmail(5000, 24)).isTrue();
        assertThat(greenMail.getReceivedMessages()).hasSize(24);
        assertThat(greenMail.getReceivedMessagesForDomain("example.net")).hasSize(24);
        String json = out.toString();
        assertThat(json).contains("\"messages\":12,\"succeeded\":12,\"failed\":0,\"refusedRecipients\":0,"
                + "\"messageSize\":3000");
        assertThat(number(json, "p50")).isPositive();
        assertThat(number(json, "max")).isGreaterThanOrEqualTo(number(json, "p99"));
        assertThat(number(json, "messagesPerSecond")).isPositive();
    }

    @Test
    void textReportCountsGreenMailsTurns() {
        // GreenMail offers neither PIPELINING nor CHUNKING: MAIL, RCPT, DATA and the content are a turn each.
        int exit = run("--server", greenMailServer(), "--tls", "none", "--messages", "5", "--size", "500");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("messages 5 sent 5 failed 0 refused-recipients 0 size 500")
                .contains("latency ms p50 ").contains("client turns per message 4.000");
    }

    @Test
    void oneTurnPerMessageWithPipeliningAndChunkingWhateverTheRecipients() throws Exception {
        try (SinkServer sink = new SinkServer(true, "250 2.0.0 queued")) {
            assertThat(run("--server", sink.address(), "--tls", "none", "--messages", "20", "--recipients", "50",
                    "--json")).as(err.toString()).isZero();
            assertThat(number(out.toString(), "clientTurnsPerMessage")).isEqualTo(1.0);
            assertThat(sink.transactions()).isEqualTo(20);
        }
    }

    @Test
    void twoTurnsPerMessageWithPipeliningAlone() throws Exception {
        try (SinkServer sink = new SinkServer(false, "250 2.0.0 queued")) {
            assertThat(run("--server", sink.address(), "--tls", "none", "--messages", "10", "--recipients", "3",
                    "--json")).as(err.toString()).isZero();
            assertThat(number(out.toString(), "clientTurnsPerMessage")).isEqualTo(2.0);
        }
    }

    @Test
    void refusedDataMakesAPermanentFailureExit() throws Exception {
        try (SinkServer sink = new SinkServer(true, "554 5.6.0 rejected")) {
            int exit = run("--server", sink.address(), "--tls", "none", "--messages", "3", "--json");

            assertThat(exit).isEqualTo(LoadCommand.UNAVAILABLE);
            assertThat(out.toString()).contains("\"succeeded\":0,\"failed\":3");
            assertThat(err.toString()).contains("554");
        }
    }

    @Test
    void noServerIsATemporaryFailureAndEveryMessageCountsAsFailed() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        int exit = run("--server", "127.0.0.1:" + port, "--tls", "none", "--messages", "4", "--connections", "2",
                "--json");

        assertThat(exit).isEqualTo(LoadCommand.TEMPORARY_FAILURE);
        assertThat(out.toString()).contains("\"succeeded\":0,\"failed\":4");
    }

    @Test
    void anUntrustedCertificateFailsEveryMessageWithTheSendCommandsExitStatus() {
        GreenMail tls = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
        tls.start();
        try {
            String server = "127.0.0.1:" + tls.getSmtps().getPort();
            int exit = run("--server", server, "--tls", "implicit", "--messages", "3", "--connections", "2");

            // GreenMail's certificate is its own, trusted by nobody: refused, as `send` would (77), nothing sent.
            assertThat(exit).isEqualTo(77);
            assertThat(err.toString()).contains("first failure").containsIgnoringCase("certificate");
            assertThat(out.toString()).contains("messages 3 sent 0 failed 3")
                    .contains("latency ms p50 - p90 - p99 - max -").contains("client turns per message -");
            assertThat(tls.getReceivedMessages()).isEmpty();

            out.getBuffer().setLength(0);
            exit = run("--server", server, "--tls", "implicit", "--insecure-skip-verify", "--messages", "3",
                    "--connections", "2", "--json");
            assertThat(exit).as(err.toString()).isZero();
            assertThat(out.toString()).contains("\"succeeded\":3,\"failed\":0");
            assertThat(tls.getReceivedMessages()).hasSize(3);
        } finally {
            tls.stop();
        }
    }

    @Test
    void aWindowOfEightSendsEightTransactionsPerTurn() throws Exception {
        try (SinkServer sink = new SinkServer(true, "250 2.0.0 queued")) {
            assertThat(run("--server", sink.address(), "--tls", "none", "--messages", "40", "--recipients", "3",
                    "--window", "8", "--json")).as(err.toString()).isZero();
            assertThat(number(out.toString(), "clientTurnsPerMessage")).isEqualTo(0.125);
            assertThat(out.toString()).contains("\"succeeded\":40,\"failed\":0");
            assertThat(sink.transactions()).isEqualTo(40);
        }
    }

    @Test
    void aWindowFallsBackToOneAtATimeWhenTheServerCannotPipelineTransactions() {
        int exit = run("--server", greenMailServer(), "--tls", "none", "--messages", "6", "--window", "8",
                "--json");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(greenMail.getReceivedMessages()).hasSize(6);
        assertThat(number(out.toString(), "clientTurnsPerMessage")).isEqualTo(4.0);
    }

    @Test
    void aWindowOutOfRangeIsAUsageError() {
        int exit = run("--server", greenMailServer(), "--tls", "none", "--window", "0");

        assertThat(exit).isEqualTo(LoadCommand.USAGE);
        assertThat(err.toString()).contains("--window 0");
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void generatedMessagesHaveTheExactSizeInCrlfLinesEvenWhenStreamed() throws IOException {
        int header = LoadMessage.of("a@example.org", "b@example.org", 1).header().length;
        java.util.List<Long> sizes = new java.util.ArrayList<>(java.util.List.of(1L, 4096L, (1L << 20) + 77));
        for (long delta = -3; delta < 240; delta++) {
            sizes.add(header + delta);
        }
        // Streamed (over 1 MiB), ending on and around a boundary of the generator's 65520-octet block.
        for (long delta = -3; delta <= 3; delta++) {
            sizes.add(header + 65520L * 17 + delta);
        }
        for (long size : sizes) {
            LoadMessage message = LoadMessage.of("a@example.org", "b@example.org", size);
            byte[] bytes = message.stream().readAllBytes();
            long expected = Math.max(size, message.header().length);
            if (size == message.header().length + 1) {
                expected++;
            }
            assertThat(bytes.length).as("size %d", size).isEqualTo(expected).isEqualTo(message.size());
            assertThat(MessageContent.of(bytes).size().getAsLong()).as("CRLF-normalised size %d", size)
                    .isEqualTo(bytes.length);
            // The content says it is in CRLF lines (so BDAT skips the scan): the core's own scan must agree.
            assertThat(MessageContent.of(bytes).crlfLineEndings()).as("CRLF lines, size %d", size).isTrue();
            assertThat(message.content().crlfLineEndings()).isTrue();
            assertThat(new String(bytes, StandardCharsets.US_ASCII)).endsWith("\r\n")
                    .doesNotContain("\r\r").doesNotContain("\n\n\n");
            ByteArrayOutputStream streamed = new ByteArrayOutputStream();
            message.content().writeTo(streamed);
            assertThat(streamed.toByteArray()).isEqualTo(bytes);
        }
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([0-9.eE+-]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", key, json).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /**
     * A minimal sink for one connection at a time that offers PIPELINING (and CHUNKING when asked), answers
     * every command, and ends each transaction with {@code finalReply}.
     */
    private static final class SinkServer implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread thread;
        private volatile int transactions;

        SinkServer(boolean chunking, String finalReply) throws IOException {
            socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            String ehlo = "250-sink\r\n250-PIPELINING\r\n" + (chunking ? "250-CHUNKING\r\n" : "") + "250 8BITMIME\r\n";
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        serve(new BufferedInputStream(s.getInputStream()), s.getOutputStream(), ehlo, finalReply);
                    } catch (IOException e) {
                        // The client went away or the server is closing: take the next connection.
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(InputStream in, OutputStream out, String ehlo, String finalReply) throws IOException {
            reply(out, "220 sink ESMTP\r\n");
            String line;
            while ((line = readLine(in)) != null) {
                String verb = line.split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, ehlo);
                    case "BDAT" -> {
                        String[] words = line.split(" ");
                        in.readNBytes(Integer.parseInt(words[1]));
                        if (words.length > 2) {
                            transactions++;
                            reply(out, finalReply + "\r\n");
                        } else {
                            reply(out, "250 2.0.0 chunk\r\n");
                        }
                    }
                    case "DATA" -> {
                        reply(out, "354 go ahead\r\n");
                        String data;
                        while ((data = readLine(in)) != null && !data.equals(".")) {
                            // Discard the content.
                        }
                        transactions++;
                        reply(out, finalReply + "\r\n");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye\r\n");
                        return;
                    }
                    default -> reply(out, "250 2.0.0 ok\r\n");
                }
            }
        }

        private static void reply(OutputStream out, String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    byte[] b = line.toByteArray();
                    int end = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                    return new String(b, 0, end, StandardCharsets.US_ASCII);
                }
                line.write(c);
            }
            return null;
        }

        int transactions() {
            return transactions;
        }

        String address() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
