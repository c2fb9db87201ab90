package dev.jsmtp.it;

import dev.jsmtp.testing.SendOnce;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.jsmtp.Credentials;
import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpAuthenticationException;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpSecurityException;
import dev.jsmtp.TlsMode;
import dev.jsmtp.TranscriptEvent;
import dev.jsmtp.testing.TestCertificates;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sends through GreenMail, a real SMTP server nobody here wrote, in plain text and with implicit TLS, with AUTH
 * PLAIN and LOGIN, and reads the delivered bytes back. (GreenMail 2.1 has no STARTTLS.)
 */
class GreenMailIT {

    private static GreenMail greenMail;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("greenmail.tls.keystore.file", TestCertificates.keyStore(TestCertificates.Identity.TRUSTED).toString());
        System.setProperty("greenmail.tls.keystore.password", TestCertificates.PASSWORD);
        greenMail = new GreenMail(new ServerSetup[] {
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS)});
        greenMail.start();
        greenMail.setUser("alice@example.org", "alice", "s3cret");
    }

    @AfterAll
    static void stop() {
        greenMail.stop();
    }

    @BeforeEach
    void clean() throws Exception {
        greenMail.purgeEmailFromAllMailboxes();
    }

    private static SmtpClient.Builder client(boolean tls) throws Exception {
        SmtpClient.Builder b = SmtpClient.builder("127.0.0.1").timeout(Duration.ofSeconds(10));
        if (tls) {
            return b.port(greenMail.getSmtps().getPort()).tlsMode(TlsMode.IMPLICIT)
                    .trustedCertificates(TestCertificates.caPem());
        }
        return b.port(greenMail.getSmtp().getPort()).tlsMode(TlsMode.NONE);
    }

    private static byte[] delivered(int index) throws Exception {
        assertThat(greenMail.waitForIncomingEmail(5000, index + 1)).isTrue();
        MimeMessage message = greenMail.getReceivedMessages()[index];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    private static final String MESSAGE = "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: hello\r\n"
            + "Message-ID: <1@example.org>\r\n\r\nFirst line\r\n.starts with a dot\r\n.\r\nlast\r\n";

    @ParameterizedTest(name = "tls={0} mechanism={1}")
    @CsvSource({"false,PLAIN", "false,LOGIN", "true,PLAIN", "true,LOGIN"})
    void deliversWithAuthentication(boolean tls, String mechanism) throws Exception {
        List<TranscriptEvent> transcript = new ArrayList<>();
        SmtpClient.Builder b = client(tls).credentials(Credentials.password("alice", "s3cret"))
                .authMechanism(mechanism).transcript(transcript::add);
        if (!tls) {
            b.allowCleartextAuthenticationDangerously();
        }
        SendResult result = SendOnce.send(b, Envelope.of("alice@example.org", "bob@example.org"),
                MessageContent.of(MESSAGE));

        assertThat(result.finalReply().code()).isEqualTo(250);
        assertThat(result.allAccepted()).isTrue();
        String bytes = new String(delivered(0), StandardCharsets.UTF_8);
        // GreenMail prepends trace headers and stores the data without the CRLF that precedes the final dot;
        // everything else we sent arrives byte for byte, dot-stuffing undone.
        String sent = MESSAGE.substring(MESSAGE.indexOf("Subject:"));
        assertThat(bytes).endsWith(sent.substring(0, sent.length() - 2));
        assertThat(bytes).contains("From: alice@example.org\r\n", "To: bob@example.org\r\n");
        String all = transcript.toString();
        assertThat(all).doesNotContain("s3cret")
                .doesNotContain(Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8)))
                .doesNotContain(Base64.getEncoder().encodeToString("\0alice\0s3cret".getBytes(StandardCharsets.UTF_8)));
        if (tls) {
            assertThat(all).contains("TLS");
        }
    }

    @Test
    void wrongPasswordIsATypedAuthenticationError() throws Exception {
        SmtpClient client = client(true).credentials(Credentials.password("alice", "wrong")).build();
        assertThatThrownBy(() -> client.send(Envelope.of("alice@example.org", "bob@example.org"),
                MessageContent.of(MESSAGE)))
                .isInstanceOf(SmtpAuthenticationException.class)
                .hasMessageNotContaining("wrong");
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void implicitTlsRefusesAServerCertificateFromAnUnknownCa() throws Exception {
        SmtpClient client = SmtpClient.builder("127.0.0.1").port(greenMail.getSmtps().getPort())
                .tlsMode(TlsMode.IMPLICIT).trustedCertificates(TestCertificates.unrelatedCaPem())
                .credentials(Credentials.password("alice", "s3cret")).timeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(() -> client.send(Envelope.of("alice@example.org", "bob@example.org"),
                MessageContent.of(MESSAGE))).isInstanceOf(SmtpSecurityException.class);
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void manyMessagesOnOneConnection() throws Exception {
        SmtpClient client = client(false).build();
        try (var connection = client.connect(dev.jsmtp.SmtpConnection.Stage.AUTH)) {
            for (int i = 0; i < 20; i++) {
                connection.send(Envelope.of("alice@example.org", "bob" + i + "@example.org"),
                        MessageContent.of(MESSAGE));
            }
        }
        assertThat(greenMail.waitForIncomingEmail(5000, 20)).isTrue();
    }
}
