package dev.jsmtp.cli;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * An SMTP server with implicit TLS (RFC 8314) on a free loopback port, run inside this process with GreenMail for
 * {@code jsmtp demo}: a throwaway key pair and certificate for localhost and 127.0.0.1 made at start with the JDK's
 * keytool, trusted for this run only, and one test account. Only {@code demo} loads this class.
 */
final class DemoServer implements AutoCloseable {

    static final String LOGIN = "demo";
    static final String ADDRESS = "demo@localhost";

    private final Path directory;
    private final Path caFile;
    private final KeyStore trust;
    private final String password;
    private final GreenMail greenMail;

    private DemoServer(Path directory, Path caFile, KeyStore trust, String password, GreenMail greenMail) {
        this.directory = directory;
        this.caFile = caFile;
        this.trust = trust;
        this.password = password;
        this.greenMail = greenMail;
    }

    static DemoServer start() throws IOException, GeneralSecurityException {
        Path dir = Files.createTempDirectory("jsmtp-demo-");
        ThrowawayCertificate cert = ThrowawayCertificate.make(dir);
        System.setProperty("greenmail.tls.keystore.file", cert.keyStoreFile().toString());
        System.setProperty("greenmail.tls.keystore.password", cert.password());
        System.setProperty("greenmail.tls.key.password", cert.password());
        ServerSetup setup = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort();
        GreenMail greenMail = new GreenMail(setup);
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        greenMail.setUser(ADDRESS, LOGIN, password);
        greenMail.start();
        return new DemoServer(dir, cert.pemFile(), cert.trustStore(), password, greenMail);
    }

    int port() {
        return greenMail.getSmtps().getPort();
    }

    KeyStore trustStore() {
        return trust;
    }

    /** The demo certificate as PEM, for {@code jsmtp send --cafile}. */
    Path caFile() {
        return caFile;
    }

    String password() {
        return password;
    }

    /** Every message delivered so far, as the server stored it. */
    List<byte[]> receivedMessages() throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                m.writeTo(bytes);
            } catch (MessagingException e) {
                throw new IOException("reading the delivered message back: " + e.getMessage(), e);
            }
            out.add(bytes.toByteArray());
        }
        return out;
    }

    @Override
    public void close() {
        greenMail.stop();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
