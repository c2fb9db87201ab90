package dev.jsmtp.postfix;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the test Postfix itself with hand-written SMTP, independent of jsmtp's client: what it announces on each
 * port, that delivered files hold exactly the octets sent, and that its log counts BDAT commands. When a
 * {@code PostfixIT} fails and this passes, the client is at fault.
 */
@ExtendWith(PostfixExtension.class)
class PostfixServerIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void eachPortAnnouncesWhatTheTestsRelyOn(PostfixServer postfix) throws Exception {
        try (Raw plain = Raw.plain(postfix.plainPort())) {
            String ehlo = plain.command("EHLO client.test");
            assertThat(ehlo).contains("PIPELINING", "CHUNKING", "8BITMIME", "SMTPUTF8", "DSN",
                    "ENHANCEDSTATUSCODES", "SIZE " + postfix.sizeLimit()).doesNotContain("AUTH", "STARTTLS");
        }
        try (Raw plainAuth = Raw.plain(postfix.plainAuthPort())) {
            assertThat(plainAuth.command("EHLO client.test")).contains("AUTH PLAIN LOGIN CRAM-MD5");
        }
        try (Raw submission = Raw.plain(postfix.submissionPort())) {
            assertThat(submission.command("EHLO client.test")).contains("STARTTLS").doesNotContain("AUTH");
        }
        try (Raw submissions = Raw.tls(postfix)) {
            assertThat(submissions.command("EHLO client.test")).contains("AUTH PLAIN LOGIN CRAM-MD5")
                    .doesNotContain("STARTTLS");
        }
    }

    @Test
    void deliversExactlyTheOctetsOfTheDataWithTheEnvelope(PostfixServer postfix) throws Exception {
        String rcpt = "raw-" + UUID.randomUUID() + "@example.com";
        String message = "From: a@example.org\r\nTo: " + rcpt + "\r\nSubject: raw\r\n\r\nline one\r\n"
                + ".leading dot\r\n.\r\n..\r\n\r\nlast\r\n";
        String stuffed = message.replace("\r\n.", "\r\n..");
        String reply;
        try (Raw raw = Raw.plain(postfix.plainPort())) {
            raw.command("EHLO client.test");
            raw.write("MAIL FROM:<a@example.org>\r\nRCPT TO:<" + rcpt + ">\r\nRCPT TO:<"
                    + postfix.rejectedRecipient() + ">\r\nDATA\r\n");
            assertThat(raw.reply()).startsWith("250 2.1.0");
            assertThat(raw.reply()).startsWith("250 2.1.5");
            assertThat(raw.reply()).startsWith("550 5.1.1");
            assertThat(raw.reply()).startsWith("354");
            reply = raw.command(stuffed + ".");
            raw.command("QUIT");
        }
        assertThat(reply).startsWith("250 2.0.0");
        String queueId = PostfixServer.queueId(reply);

        DeliveredMessage delivered = postfix.awaitMessage(queueId, WAIT);
        assertThat(delivered.reversePath()).isEqualTo("a@example.org");
        assertThat(delivered.forwardPaths()).containsExactly(rcpt);
        assertThat(new String(delivered.withoutTraceHeaders(), StandardCharsets.UTF_8)).isEqualTo(message);
        assertThat(delivered.traceHeader()).startsWith("Received: from ").contains("with ESMTP id " + queueId);
        assertThat(postfix.awaitMessage(rcpt, WAIT).queueId()).isEqualTo(queueId);
        assertThat(postfix.awaitDisconnectLine(queueId, WAIT)).contains("mail=1", "rcpt=1/2", "data=1");
    }

    @Test
    void bdatChunksArriveJoinedAndTheLogCountsThem(PostfixServer postfix) throws Exception {
        String rcpt = "bdat-" + UUID.randomUUID() + "@example.com";
        String part1 = "Subject: chunks\r\n\r\nfirst ";
        String part2 = "half\r\n.no stuffing in BDAT\r\n";
        String reply;
        try (Raw raw = Raw.plain(postfix.plainPort())) {
            raw.command("EHLO client.test");
            raw.write("MAIL FROM:<>\r\nRCPT TO:<" + rcpt + ">\r\nBDAT " + part1.length() + "\r\n" + part1);
            raw.reply();
            raw.reply();
            assertThat(raw.reply()).startsWith("250");
            reply = raw.command("BDAT " + part2.length() + " LAST\r\n" + part2.substring(0, part2.length() - 2));
            raw.command("QUIT");
        }
        String queueId = PostfixServer.queueId(reply);
        DeliveredMessage delivered = postfix.awaitMessage(queueId, WAIT);
        assertThat(delivered.reversePath()).isEmpty();
        assertThat(new String(delivered.withoutTraceHeaders(), StandardCharsets.UTF_8)).isEqualTo(part1 + part2);
        assertThat(postfix.awaitDisconnectLine(queueId, WAIT)).contains("bdat=2").doesNotContain("data=");
    }

    @Test
    void aTransactionRefusedForItsSizeDeliversNothing(PostfixServer postfix) throws Exception {
        String rcpt = "size-" + UUID.randomUUID() + "@example.com";
        try (Raw raw = Raw.plain(postfix.plainPort())) {
            raw.command("EHLO client.test");
            assertThat(raw.command("MAIL FROM:<a@example.org> SIZE=" + (postfix.sizeLimit() + 1)))
                    .startsWith("552 5.3.4");
            assertThat(raw.command("RCPT TO:<" + rcpt + ">")).startsWith("503 5.5.1");
            raw.command("QUIT");
        }
        postfix.awaitQueueEmpty(WAIT);
        assertThat(postfix.messagesFor(rcpt)).isEmpty();
    }

    /** A hand-driven SMTP connection: writes exactly what it is given, reads whole replies. */
    private static final class Raw implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private Raw(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(20_000);
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            assertThat(reply()).startsWith("220 ");
        }

        static Raw plain(int port) throws IOException {
            return new Raw(new Socket(InetAddress.getLoopbackAddress(), port));
        }

        static Raw tls(PostfixServer postfix) throws Exception {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream pem = Files.newInputStream(postfix.caPem())) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
                    trust.setCertificateEntry("ca" + i++, c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost",
                    postfix.submissionsPort());
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return new Raw(socket);
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String command(String line) throws IOException {
            write(line + "\r\n");
            return reply();
        }

        /** One whole reply, its lines joined with '\n'. */
        String reply() throws IOException {
            StringBuilder all = new StringBuilder();
            while (true) {
                String line = line();
                all.append(all.length() == 0 ? "" : "\n").append(line);
                if (line.length() < 4 || line.charAt(3) != '-') {
                    return all.toString();
                }
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (b != '\r') {
                    buffer.write(b);
                }
            }
            if (b == -1 && buffer.size() == 0) {
                throw new IOException("connection closed by the server");
            }
            return buffer.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
