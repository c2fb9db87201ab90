package dev.jsmtp.hostile;

import dev.jsmtp.testing.SendOnce;

import static dev.jsmtp.hostile.Hostile.ENVELOPE;
import static dev.jsmtp.hostile.Hostile.MESSAGE;
import static dev.jsmtp.hostile.Hostile.fails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jsmtp.Credentials;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpAuthenticationException;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpException;
import dev.jsmtp.SmtpSecurityException;
import dev.jsmtp.SmtpTimeoutException;
import dev.jsmtp.TlsMode;
import dev.jsmtp.testing.TestCertificates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * STARTTLS under attack (RFC 3207; Poddebniak et al., "Why TLS is better without STARTTLS", USENIX Security 2021;
 * CVE-2011-0411 command injection; CVE-2021-33515 and CVE-2021-38371 response injection): stripping, refusal,
 * broken or stalled handshakes, plaintext injected after the go-ahead, and capabilities that change across the
 * upgrade. In required mode the client stops before any credentials or mail; bytes buffered before the handshake
 * abort it; everything learnt before TLS is forgotten after it (RFC 3207 §4.2).
 */
class StartTlsTest {

    static final SSLContext SERVER_TLS = TestCertificates.serverContext(TestCertificates.Identity.TRUSTED);
    private static final String PASSWORD = "s3cret-starttls";

    static SmtpClient.Builder tlsClient(AdversarialServer server, TlsMode mode) {
        try {
            return SmtpClient.builder("127.0.0.1").port(server.port()).tlsMode(mode).timeout(Hostile.TIMEOUT)
                    .trustedCertificates(TestCertificates.caPem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SmtpClient.Builder credentialsBuilder(AdversarialServer server, TlsMode mode) {
        return tlsClient(server, mode).credentials(Credentials.password("alice", PASSWORD));
    }

    /** Nothing the client sent after its STARTTLS line could be a command: only TLS records, if anything. */
    private static void assertNothingButTlsAfterStartTls(AdversarialServer server) {
        String all = server.receivedText();
        int at = all.indexOf("STARTTLS\r\n");
        assertThat(at).as("the client asked for STARTTLS").isNotNegative();
        String after = all.substring(at + "STARTTLS\r\n".length());
        if (!after.isEmpty()) {
            assertThat((int) after.charAt(0)).as("first octet after STARTTLS is a TLS handshake record").isEqualTo(0x16);
        }
        assertThat(after).doesNotContain("AUTH").doesNotContain("MAIL").doesNotContain("EHLO")
                .doesNotContain(PASSWORD);
    }

    @Test
    @DisplayName("control: a well-behaved STARTTLS server gets the mail over TLS with the capabilities announced after TLS")
    void wellBehavedStartTls() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("STARTTLS", "8BITMIME");
            p.startTls(SERVER_TLS);
            p.ehlo("AUTH PLAIN", "8BITMIME");
            p.expect("AUTH PLAIN");
            p.reply("235 2.7.0 OK");
            p.serveTransactions();
        })) {
            SendResult result = Hostile.succeeds(() -> SendOnce.send(credentialsBuilder(server, TlsMode.STARTTLS_REQUIRED), ENVELOPE, MESSAGE));
            assertThat(result.finalReply().code()).isEqualTo(250);
            assertThat(server.peer().tlsActive()).isTrue();
            assertThat(server.peer().bodies()).hasSize(1);
        }
    }

    @Test
    @DisplayName("STARTTLS stripped from EHLO, required mode → security error before AUTH or MAIL (USENIX Sec 2021 §5.1, RFC 3207 §4)")
    void notOfferedInRequiredMode() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("AUTH PLAIN LOGIN", "8BITMIME");
            p.serveTransactions();
        })) {
            SmtpException e = fails(() -> SendOnce.send(credentialsBuilder(server, TlsMode.STARTTLS_REQUIRED), ENVELOPE, MESSAGE));
            assertThat(e).isInstanceOf(SmtpSecurityException.class).hasMessageContaining("STARTTLS");
            server.awaitHandlers(Duration.ofSeconds(5));
            assertThat(server.peer().sawCommand("AUTH")).isFalse();
            assertThat(server.peer().sawCommand("MAIL")).isFalse();
            assertThat(server.receivedText()).doesNotContain(PASSWORD);
        }
    }

    @Test
    @DisplayName("STARTTLS stripped, opportunistic mode with credentials → no cleartext AUTH (RFC 4954 §4, RFC 8314 §3)")
    void strippedOpportunisticNeverSendsCredentials() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("AUTH PLAIN LOGIN", "8BITMIME");
            p.serveTransactions();
        })) {
            SmtpException e = fails(() -> SendOnce.send(credentialsBuilder(server, TlsMode.STARTTLS_OPPORTUNISTIC), ENVELOPE, MESSAGE));
            assertThat(e).isInstanceOf(SmtpSecurityException.class).hasMessageContaining("unencrypted");
            server.awaitHandlers(Duration.ofSeconds(5));
            assertThat(server.peer().sawCommand("AUTH")).isFalse();
            assertThat(server.peer().sawCommand("MAIL")).isFalse();
        }
    }

    @ParameterizedTest(name = "STARTTLS answered \"{0}\"")
    @ValueSource(strings = {"454 4.7.0 TLS not available due to temporary reason", "502 5.5.1 Not implemented",
            "421 4.3.2 Shutting down", "250 2.0.0 OK, go on in plain text"})
    @DisplayName("STARTTLS refused or answered with a non-220 → security error, no AUTH or MAIL in plain text (RFC 3207 §4)")
    void refusedInRequiredMode(String answer) throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("STARTTLS", "AUTH PLAIN", "8BITMIME");
            p.expect("STARTTLS");
            p.reply(answer);
            p.serveTransactions();
        })) {
            SmtpException e = fails(() -> SendOnce.send(credentialsBuilder(server, TlsMode.STARTTLS_REQUIRED), ENVELOPE, MESSAGE));
            assertThat(e).isInstanceOf(SmtpSecurityException.class);
            server.awaitHandlers(Duration.ofSeconds(5));
            assertThat(server.peer().sawCommand("AUTH")).isFalse();
            assertThat(server.peer().sawCommand("MAIL")).isFalse();
        }
    }

    @Test
    @DisplayName("STARTTLS refused (454) in opportunistic mode → goes on in plain text, as when it is not offered "
            + "(RFC 3207 §4; Postfix's 'may' level, swaks -tlso)")
    void refusedInOpportunisticMode() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("STARTTLS", "8BITMIME");
            p.expect("STARTTLS");
            p.reply("454 4.7.0 TLS not available");
            p.serveTransactions();
        })) {
            // Opportunistic TLS protects only against passive listeners; an active attacker could as well strip
            // STARTTLS from the EHLO reply, so a refusal is no reason to give up where that is not.
            SendResult result = SendOnce.send(tlsClient(server, TlsMode.STARTTLS_OPPORTUNISTIC), ENVELOPE, MESSAGE);
            assertThat(result.allAccepted()).isTrue();
            server.awaitHandlers(Duration.ofSeconds(5));
            assertThat(server.peer().sawCommand("MAIL")).isTrue();
        }
    }

    @Test
    @DisplayName("garbage instead of a ServerHello → handshake fails, nothing sent but the ClientHello (RFC 8446 §6.2)")
    void garbageHandshake() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("STARTTLS", "AUTH PLAIN");
            p.expect("STARTTLS");
            p.reply("220 2.0.0 Ready to start TLS");
            p.readExactly(5); // the ClientHello's record header
            byte[] junk = new byte[300];
            new java.util.Random(7).nextBytes(junk);
            junk[0] = 0x16;
            junk[1] = 0x03;
            junk[2] = 0x03;
            p.raw(junk);
            p.awaitEof(Duration.ofSeconds(5));
        })) {
            SmtpException e = fails(() -> SendOnce.send(credentialsBuilder(server, TlsMode.STARTTLS_REQUIRED), ENVELOPE, MESSAGE));
            assertThat(e).isInstanceOf(SmtpSecurityException.class).hasMessageContaining("TLS handshake failed");
            server.awaitHandlers(Duration.ofSeconds(5));
            assertNothingButTlsAfterStartTls(server);
        }
    }

    @Test
    @DisplayName("handshake stalls after 220 → TLS handshake deadline fires, nothing sent in plain text (RFC 3207, slowloris)")
    void stalledHandshake() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("STARTTLS", "AUTH PLAIN");
            p.expect("STARTTLS");
            p.reply("220 2.0.0 Ready to start TLS");
            p.awaitEof(Duration.ofSeconds(10));
        })) {
            long start = System.nanoTime();
            SmtpException e = fails(() -> SendOnce.send(credentialsBuilder(server, TlsMode.STARTTLS_REQUIRED), ENVELOPE, MESSAGE));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(e).isInstanceOf(SmtpTimeoutException.class);
            assertThat(((SmtpTimeoutException) e).waitingFor()).contains("TLS handshake");
            assertThat(millis).isBetween(1900L, 5000L);
            server.awaitHandlers(Duration.ofSeconds(12));
            assertNothingButTlsAfterStartTls(server);
        }
    }

    @Test
    @DisplayName("plaintext injected after \"220 Ready\" in the same segment → detected and aborted before the handshake (CVE-2011-0411, USENIX Sec 2021)")
    void injectionInTheSameSegment() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("STARTTLS", "AUTH PLAIN");
            p.expect("STARTTLS");
            p.reply("220 2.0.0 Ready to start TLS", "250-hostile.test", "250 AUTH PLAIN LOGIN", "235 2.7.0 fake");
            p.awaitEof(Duration.ofSeconds(5));
        })) {
            SmtpException e = fails(() -> SendOnce.send(credentialsBuilder(server, TlsMode.STARTTLS_REQUIRED), ENVELOPE, MESSAGE));
            assertThat(e).isInstanceOf(SmtpSecurityException.class).hasMessageContaining("before the TLS handshake");
            server.awaitHandlers(Duration.ofSeconds(5));
            String all = server.receivedText();
            assertThat(all.substring(all.indexOf("STARTTLS\r\n") + 10)).as("not even a ClientHello").isEmpty();
        }
    }

    @Test
    @DisplayName("plaintext injected after \"220 Ready\" in a separate segment → it poisons the handshake, which fails with nothing sent (USENIX Sec 2021 §4)")
    void injectionInASeparateSegment() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("STARTTLS", "AUTH PLAIN");
            p.expect("STARTTLS");
            p.reply("220 2.0.0 Ready to start TLS");
            p.readExactly(1); // the client is already in its handshake
            p.reply("250-hostile.test", "250 AUTH PLAIN LOGIN");
            p.awaitEof(Duration.ofSeconds(5));
        })) {
            SmtpException e = fails(() -> SendOnce.send(credentialsBuilder(server, TlsMode.STARTTLS_REQUIRED), ENVELOPE, MESSAGE));
            assertThat(e).isInstanceOf(SmtpSecurityException.class).hasMessageContaining("TLS handshake failed");
            server.awaitHandlers(Duration.ofSeconds(5));
            assertNothingButTlsAfterStartTls(server);
        }
    }

    @Test
    @DisplayName("AUTH PLAIN, PIPELINING and CHUNKING offered only before TLS → not used after it: AUTH LOGIN, lock-step, DATA (RFC 3207 §4.2)")
    void capabilitiesBeforeTlsAreForgotten() throws Exception {
        AtomicBoolean lockStep = new AtomicBoolean();
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("PIPELINING", "CHUNKING", "AUTH PLAIN", "STARTTLS", "8BITMIME");
            p.startTls(SERVER_TLS);
            p.ehlo("AUTH LOGIN", "8BITMIME");
            p.expect("AUTH LOGIN");
            p.reply("334 VXNlcm5hbWU6");
            p.readLine();
            p.reply("334 UGFzc3dvcmQ6");
            p.readLine();
            p.reply("235 2.7.0 OK");
            p.expect("MAIL");
            lockStep.set(p.staysQuiet(Duration.ofMillis(300)));
            p.reply("250 OK");
            p.serveTransactions();
        })) {
            SendResult result = Hostile.succeeds(() -> SendOnce.send(credentialsBuilder(server, TlsMode.STARTTLS_REQUIRED), ENVELOPE, MESSAGE));
            assertThat(result.finalReply().code()).isEqualTo(250);
            server.awaitHandlers(Duration.ofSeconds(5));
            Peer peer = server.peer();
            assertThat(peer.sawCommand("AUTH PLAIN")).isFalse();
            assertThat(lockStep).as("MAIL waited for its reply: no PIPELINING after TLS").isTrue();
            assertThat(peer.sawCommand("BDAT")).as("no CHUNKING after TLS").isFalse();
            assertThat(peer.sawCommand("DATA")).isTrue();
        }
    }

    @Test
    @DisplayName("AUTH offered only before TLS → authentication error, no AUTH sent before or after TLS (RFC 3207 §4.2, RFC 4954 §4)")
    void authOfferedOnlyBeforeTls() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("AUTH PLAIN LOGIN", "STARTTLS");
            p.startTls(SERVER_TLS);
            p.ehlo("8BITMIME");
            p.serveTransactions();
        })) {
            SmtpException e = fails(() -> SendOnce.send(credentialsBuilder(server, TlsMode.STARTTLS_REQUIRED), ENVELOPE, MESSAGE));
            assertThat(e).isInstanceOf(SmtpAuthenticationException.class).hasMessageContaining("AUTH");
            server.awaitHandlers(Duration.ofSeconds(5));
            assertThat(server.peer().sawCommand("AUTH")).isFalse();
            assertThat(server.peer().sawCommand("MAIL")).isFalse();
            assertThat(new String(server.received(), StandardCharsets.ISO_8859_1)).doesNotContain(PASSWORD);
        }
    }
}
