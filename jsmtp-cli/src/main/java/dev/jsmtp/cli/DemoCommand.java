package dev.jsmtp.cli;

import dev.jsmtp.Credentials;
import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpException;
import dev.jsmtp.TlsMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code jsmtp demo}: the "SMTP from scratch" walk-through against an SMTP server started inside this process —
 * implicit TLS (RFC 8314), EHLO, AUTH LOGIN, MAIL FROM, RCPT TO, DATA, QUIT (RFC 5321) — with the transcript
 * printed and the delivered message read back. Needs no network.
 */
@Command(name = "demo", sortOptions = false, usageHelpAutoWidth = true,
        description = "Start an SMTP server inside this process (implicit TLS on a free loopback port, a "
                + "certificate made for this run), send it a message showing every command and reply, read "
                + "the message back from its mailbox, and stop. Needs no network.",
        exitCodeOnInvalidInput = ExitCode.USAGE, footerHeading = "%nExamples:%n", footer = {
            "  jsmtp demo             # the whole conversation, then the delivered message",
            "  jsmtp demo --serve     # keep the server up and print a jsmtp send command for it"})
public final class DemoCommand implements Callable<Integer> {

    private final Cli cli;

    @Option(names = "--serve", description = "Keep the server running (until Ctrl-C) and print how to reach it.")
    boolean serve;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    public DemoCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException, GeneralSecurityException, InterruptedException {
        PrintStream out = cli.out();
        DemoServer server = DemoServer.start();
        try {
            out.println("* Started an SMTP server with implicit TLS on 127.0.0.1:" + server.port()
                    + " (GreenMail; certificate for localhost made just now, trusted for this run only).");
            out.println("* Test account: " + DemoServer.LOGIN + " / " + server.password());
            if (serve) {
                return serve(server);
            }
            out.println("* The conversation (C: client, S: server; the AUTH lines are masked):");
            out.println();
            SmtpClient.Builder builder = SmtpClient.builder("127.0.0.1").port(server.port()).tlsMode(TlsMode.IMPLICIT)
                    .trustStore(server.trustStore())
                    .credentials(Credentials.password(DemoServer.LOGIN, server.password()))
                    .authMechanism("LOGIN")
                    .timeout(Duration.ofSeconds(30))
                    .transcript(new TranscriptPrinter(out))
                    .allOrNothing(true);
            SendResult result;
            // Closed right after the message so that QUIT is part of the conversation shown.
            try (SmtpClient client = builder.build()) {
                result = client.send(Envelope.of(DemoServer.ADDRESS, DemoServer.ADDRESS), message());
            } catch (SmtpException e) {
                cli.err().println("jsmtp: " + Report.describe(e));
                return ExitCode.of(e);
            }
            out.println();
            out.println("* Sent: " + result.finalReply());
            List<byte[]> received = server.receivedMessages();
            out.println("* The server's mailbox now holds " + received.size() + " message(s); the first, as stored:");
            out.println();
            if (!received.isEmpty()) {
                out.write(received.get(0));
                out.println();
            }
            out.println("* Stopped the server.");
            return received.isEmpty() ? ExitCode.SOFTWARE : ExitCode.OK;
        } finally {
            server.close();
        }
    }

    // RFC 5322 §3.3: a numeric zone ("+0000"), not RFC 1123's "GMT", which 5322 lists as obsolete.
    private static final DateTimeFormatter RFC5322_DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", java.util.Locale.ROOT);

    /** The message the walk-through types after DATA: a few header fields, a blank line, the body. */
    static MessageContent message() {
        ZonedDateTime now = ZonedDateTime.now();
        return MessageContent.of("From: jsmtp demo <" + DemoServer.ADDRESS + ">\r\n"
                + "To: <" + DemoServer.ADDRESS + ">\r\n"
                + "Subject: Hello from jsmtp\r\n"
                + "Date: " + RFC5322_DATE.format(now) + "\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@localhost>\r\n"
                + "\r\n"
                + "This message went over implicit TLS, after AUTH LOGIN, to the demo server.\r\n");
    }

    private int serve(DemoServer server) throws IOException, InterruptedException {
        PrintStream out = cli.out();
        out.println("* Send it a message with:");
        out.println();
        out.println("  JSMTP_DEMO_PASSWORD=" + server.password() + " ./jsmtp send --server 127.0.0.1:" + server.port()
                + " --tls implicit --cafile " + server.caFile() + " --user " + DemoServer.LOGIN
                + " --password-env JSMTP_DEMO_PASSWORD --from " + DemoServer.ADDRESS + " --to " + DemoServer.ADDRESS
                + " --subject Hi --body 'Hello' -v");
        out.println();
        out.println("* Press Ctrl-C to stop.");
        out.flush();
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            main.interrupt();
        }));
        int seen = 0;
        try {
            while (true) {
                Thread.sleep(500);
                List<byte[]> received = server.receivedMessages();
                for (; seen < received.size(); seen++) {
                    out.println("* Received message " + (seen + 1) + " (" + received.get(seen).length + " bytes)");
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            return ExitCode.OK;
        }
    }
}
