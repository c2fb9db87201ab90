package dev.jsmtp.cli;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The training run the launcher dumps its class-data-sharing archive from ({@code -XX:ArchiveClassesAtExit}): it
 * sends one message with {@code send} and one in sendmail mode to a minimal SMTP responder (RFC 5321) on a
 * loopback port, so the archive holds the classes a real send loads. Prints nothing.
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path home = Files.createTempDirectory("jsmtp-cds-");
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread responder = new Thread(() -> respond(server), "cds-responder");
            responder.setDaemon(true);
            responder.start();
            String address = "127.0.0.1:" + server.getLocalPort();
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            train(() -> Main.run(new String[] {"send", "--server", address, "--tls", "none", "--from",
                "cron@example.org", "--to", "root@example.org", "--subject", "training", "--body", "hello"},
                    cli(home, sink, new byte[0])));
            // The same over implicit TLS with AUTH, so the archive holds the JDK's TLS and crypto classes too.
            train(() -> {
                try {
                    ThrowawayCertificate cert = ThrowawayCertificate.make(home);
                    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    kmf.init(cert.keyStore(), cert.password().toCharArray());
                    SSLContext context = SSLContext.getInstance("TLS");
                    context.init(kmf.getKeyManagers(), null, null);
                    try (ServerSocket tls = context.getServerSocketFactory().createServerSocket(0, 10,
                            InetAddress.getLoopbackAddress())) {
                        Thread t = new Thread(() -> respond(tls), "cds-tls-responder");
                        t.setDaemon(true);
                        t.start();
                        Cli withPassword = new Cli(new ByteArrayInputStream(new byte[0]), sink, sink,
                                Map.of("JSMTP_TRAINING_PASSWORD", "training"), false, false, null, home);
                        Main.run(new String[] {"send", "--server", "127.0.0.1:" + tls.getLocalPort(), "--tls",
                            "implicit", "--cafile", cert.pemFile().toString(), "--user", "cron",
                            "--password-env", "JSMTP_TRAINING_PASSWORD", "--from", "cron@example.org", "--to",
                            "root@example.org", "--subject", "training", "--body", "hello"}, withPassword);
                    }
                } catch (IOException | GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
            Path config = home.resolve("config");
            Files.writeString(config, "account local\nserver " + address + "\ntls none\nfrom cron@example.org\n"
                    + "account default : local\n");
            byte[] message = "To: root@example.org\nSubject: training\n\nhello\n".getBytes(StandardCharsets.UTF_8);
            train(() -> Main.run(new String[] {"sendmail", "-C", config.toString(), "-t", "-i"},
                    cli(home, sink, message)));
        } finally {
            for (String f : new String[] {"config", "server.p12", "demo-ca.pem"}) {
                Files.deleteIfExists(home.resolve(f));
            }
            Files.deleteIfExists(home);
        }
    }

    /** Runs one training step; a failure only means fewer classes in the archive. */
    private static void train(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            // Still dump what was loaded.
        }
    }

    private static Cli cli(Path home, PrintStream sink, byte[] stdin) {
        return new Cli(new ByteArrayInputStream(stdin), sink, sink, Map.of(), false, false, null, home);
    }

    private static void respond(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                OutputStream out = s.getOutputStream();
                write(out, "220 cds-training ESMTP");
                boolean data = false;
                conversation:
                for (String line; (line = in.readLine()) != null; ) {
                    if (data) {
                        if (line.equals(".")) {
                            data = false;
                            write(out, "250 2.0.0 queued");
                        }
                        continue;
                    }
                    String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line;
                    switch (verb) {
                        case "EHLO" -> write(out, "250-cds-training\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
                                + "250-ENHANCEDSTATUSCODES\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 10240000");
                        case "AUTH" -> write(out, "235 2.7.0 ok");
                        case "DATA" -> {
                            data = true;
                            write(out, "354 go ahead");
                        }
                        case "QUIT" -> {
                            write(out, "221 2.0.0 bye");
                            break conversation;
                        }
                        default -> write(out, "250 2.0.0 ok");
                    }
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
