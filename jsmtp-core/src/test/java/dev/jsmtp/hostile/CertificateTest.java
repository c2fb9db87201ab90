package dev.jsmtp.hostile;

import static dev.jsmtp.hostile.Hostile.ENVELOPE;
import static dev.jsmtp.hostile.Hostile.MESSAGE;
import static dev.jsmtp.hostile.Hostile.fails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jsmtp.Credentials;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpException;
import dev.jsmtp.SmtpSecurityException;
import dev.jsmtp.TlsMode;
import dev.jsmtp.testing.TestCertificates;
import dev.jsmtp.testing.TestCertificates.Identity;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Servers whose TLS must not be accepted (RFC 6125 name checks, RFC 5280 path validation, RFC 8996 deprecating
 * TLS 1.0/1.1, RFC 8314 §3, RFC 3207 §4.1): untrusted CA, wrong name, expired, self-signed, and a TLS 1.0-only
 * server, each over implicit TLS and over STARTTLS. The handshake fails with a security error that says why, and
 * the server never receives one decrypted byte: no EHLO, no credentials, no mail.
 */
class CertificateTest {

    private static final String PASSWORD = "s3cret-certificates";

    /** A certificate the client must refuse, and the words its error should use. */
    enum Bad {
        UNTRUSTED_CA(Identity.UNRELATED_CA, "not trusted"),
        WRONG_NAME(Identity.WRONG_NAME, "host name mismatch"),
        EXPIRED(Identity.EXPIRED, "expired"),
        SELF_SIGNED(Identity.SELF_SIGNED, "self-signed");

        final Identity identity;
        final String reason;

        Bad(Identity identity, String reason) {
            this.identity = identity;
            this.reason = reason;
        }
    }

    /** Both ways into TLS. */
    enum Way {
        IMPLICIT, STARTTLS
    }

    private static SmtpClient client(int port, TlsMode mode) throws IOException {
        return SmtpClient.builder("127.0.0.1").port(port).tlsMode(mode).timeout(Hostile.TIMEOUT)
                .trustedCertificates(TestCertificates.caPem())
                .credentials(Credentials.password("alice", PASSWORD)).build();
    }

    private static AdversarialServer server(Way way, SSLContext tls) throws IOException {
        if (way == Way.IMPLICIT) {
            return AdversarialServer.implicitTls(tls, p -> {
                p.greet();
                p.ehlo("AUTH PLAIN", "8BITMIME");
                p.expect("AUTH PLAIN");
                p.reply("235 2.7.0 OK");
                p.serveTransactions();
            });
        }
        return AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("STARTTLS", "AUTH PLAIN", "8BITMIME");
            p.startTls(tls);
            p.ehlo("AUTH PLAIN", "8BITMIME");
            p.expect("AUTH PLAIN");
            p.reply("235 2.7.0 OK");
            p.serveTransactions();
        });
    }

    private static TlsMode mode(Way way) {
        return way == Way.IMPLICIT ? TlsMode.IMPLICIT : TlsMode.STARTTLS_REQUIRED;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Way.class)
    @DisplayName("control: a certificate from the trusted CA for the right name is accepted (RFC 6125)")
    void trustedCertificateIsAccepted(Way way) throws Exception {
        try (AdversarialServer server = server(way, TestCertificates.serverContext(Identity.TRUSTED))) {
            SendResult result = Hostile.succeeds(() -> client(server.port(), mode(way)).send(ENVELOPE, MESSAGE));
            assertThat(result.finalReply().code()).isEqualTo(250);
        }
    }

    @ParameterizedTest(name = "{0} certificate")
    @EnumSource(Bad.class)
    @DisplayName("bad certificate over implicit TLS → security error naming why, not one byte decrypted by the server (RFC 8314 §3, RFC 6125)")
    void badCertificateImplicit(Bad bad) throws Exception {
        try (AdversarialServer server = server(Way.IMPLICIT, TestCertificates.serverContext(bad.identity))) {
            SmtpException e = fails(() -> client(server.port(), TlsMode.IMPLICIT).send(ENVELOPE, MESSAGE));
            assertThat(e).isInstanceOf(SmtpSecurityException.class).hasMessageContaining(bad.reason);
            server.awaitHandlers(Duration.ofSeconds(5));
            assertThat(server.received()).as("octets the server decrypted").isEmpty();
            assertThat(server.peer().tlsActive() && server.peer().failure() == null).isFalse();
        }
    }

    @ParameterizedTest(name = "{0} certificate")
    @EnumSource(Bad.class)
    @DisplayName("bad certificate after STARTTLS → security error naming why, nothing after STARTTLS reaches the server (RFC 3207 §4.1)")
    void badCertificateStartTls(Bad bad) throws Exception {
        try (AdversarialServer server = server(Way.STARTTLS, TestCertificates.serverContext(bad.identity))) {
            SmtpException e = fails(() -> client(server.port(), TlsMode.STARTTLS_REQUIRED).send(ENVELOPE, MESSAGE));
            assertThat(e).isInstanceOf(SmtpSecurityException.class).hasMessageContaining(bad.reason);
            server.awaitHandlers(Duration.ofSeconds(5));
            List<String> commands = server.peer().commands();
            assertThat(commands).hasSize(2);
            assertThat(commands.get(0)).startsWith("EHLO ");
            assertThat(commands.get(1)).isEqualTo("STARTTLS");
            assertThat(server.peer().failure()).as("the server's handshake never completed").isNotNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Way.class)
    @DisplayName("TLS 1.0-only server (openssl s_server -tls1, out of process) → handshake refused, nothing sent (RFC 8996)")
    void tls10OnlyServer(Way way, @TempDir Path work) throws Exception {
        Process openssl = startTls10Server(work);
        try {
            int tls10Port = acceptPort(work.resolve("out.txt"));
            if (way == Way.IMPLICIT) {
                SmtpException e = fails(() -> client(tls10Port, TlsMode.IMPLICIT).send(ENVELOPE, MESSAGE));
                assertThat(e).isInstanceOf(SmtpSecurityException.class).hasMessageContaining("TLS handshake failed")
                        .hasMessageContaining("protocol");
            } else {
                try (AdversarialServer server = AdversarialServer.start(p -> {
                    p.greet();
                    p.ehlo("STARTTLS", "AUTH PLAIN", "8BITMIME");
                    p.expect("STARTTLS");
                    p.reply("220 2.0.0 Ready to start TLS");
                    p.relayTo(tls10Port);
                })) {
                    SmtpException e = fails(() -> client(server.port(), TlsMode.STARTTLS_REQUIRED)
                            .send(ENVELOPE, MESSAGE));
                    assertThat(e).isInstanceOf(SmtpSecurityException.class)
                            .hasMessageContaining("TLS handshake failed").hasMessageContaining("protocol");
                    assertThat(server.peer().commands()).hasSize(2);
                }
            }
            Thread.sleep(200);
            String out = Files.readString(work.resolve("out.txt"), StandardCharsets.ISO_8859_1);
            assertThat(out).as("what openssl decrypted").doesNotContain("EHLO").doesNotContain("AUTH")
                    .doesNotContain("MAIL");
        } finally {
            openssl.destroy();
            openssl.waitFor();
        }
    }

    private static Process startTls10Server(Path work) throws IOException {
        Path script = findScript();
        ProcessBuilder pb = new ProcessBuilder("sh", script.toString(),
                TestCertificates.keyStore(Identity.TRUSTED).toString(), TestCertificates.PASSWORD, work.toString());
        pb.redirectOutput(work.resolve("out.txt").toFile());
        pb.redirectError(work.resolve("err.txt").toFile());
        return pb.start();
    }

    private static Path findScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts").resolve("tls10-server.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("scripts/tls10-server.sh not found above " + new File("").getAbsolutePath());
    }

    /** The port from openssl's {@code ACCEPT 127.0.0.1:PORT} line. */
    private static int acceptPort(Path out) throws Exception {
        Pattern accept = Pattern.compile("ACCEPT 127\\.0\\.0\\.1:(\\d+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = accept.matcher(Files.readString(out, StandardCharsets.ISO_8859_1));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("openssl s_server did not start: "
                + Files.readString(out.resolveSibling("err.txt"), StandardCharsets.ISO_8859_1));
    }
}
