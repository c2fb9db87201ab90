package dev.jsmtp.cli;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        Path keyStoreFile = dir.resolve("server.p12");
        String storePassword = randomHex(16);
        keytool(keyStoreFile, storePassword);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            keys.load(in, storePassword.toCharArray());
        }
        Certificate cert = keys.getCertificate("jsmtp-demo");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("jsmtp-demo", cert);
        Path caFile = dir.resolve("demo-ca.pem");
        try (Writer w = Files.newBufferedWriter(caFile, StandardCharsets.US_ASCII)) {
            w.write("-----BEGIN CERTIFICATE-----\n");
            w.write(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded()));
            w.write("\n-----END CERTIFICATE-----\n");
        }
        System.setProperty("greenmail.tls.keystore.file", keyStoreFile.toString());
        System.setProperty("greenmail.tls.keystore.password", storePassword);
        System.setProperty("greenmail.tls.key.password", storePassword);
        ServerSetup setup = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort();
        GreenMail greenMail = new GreenMail(setup);
        String password = randomHex(8);
        greenMail.setUser(ADDRESS, LOGIN, password);
        greenMail.start();
        return new DemoServer(dir, caFile, trust, password, greenMail);
    }

    private static void keytool(Path keyStoreFile, String storePassword) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        ProcessBuilder pb = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "jsmtp-demo",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStoreFile.toString(), "-storepass", storePassword, "-keypass", storePassword);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool made the demo certificate");
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
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
