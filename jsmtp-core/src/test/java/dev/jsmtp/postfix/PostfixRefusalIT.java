package dev.jsmtp.postfix;

import dev.jsmtp.testing.SendOnce;

import dev.jsmtp.BodyType;
import dev.jsmtp.Credentials;
import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;
import dev.jsmtp.SmtpAuthenticationException;
import dev.jsmtp.SmtpCapabilityException;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpRejectedException;
import dev.jsmtp.SmtpSecurityException;
import dev.jsmtp.TlsMode;
import dev.jsmtp.testing.RecordingProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What must NOT be delivered through a real Postfix: messages over its SIZE limit (RFC 1870), sessions with a wrong
 * password (RFC 4954), an untrusted or misnamed certificate, a missing STARTTLS (RFC 3207), and credentials
 * offered in cleartext without the caller's explicit consent. Each checks the queue is empty and nothing arrived.
 */
class PostfixRefusalIT extends PostfixSupport {

    @Test
    void aMessageOverTheSizeLimitIsRefusedBeforeItsBodyIsSent(PostfixServer postfix) throws Exception {
        String rcpt = unique("oversize");
        AtomicLong bytesRead = new AtomicLong();
        MessageContent content = MessageContent.of(() -> new CountingStream(
                message(rcpt, "too big", "x\r\n").getBytes(StandardCharsets.US_ASCII), bytesRead),
                OptionalLong.of(postfix.sizeLimit() + 1), BodyType.SEVEN_BIT, false);

        assertThatThrownBy(() -> SendOnce.send(submissions(postfix), Envelope.of("sender@example.org", rcpt), content))
                .isInstanceOfAny(SmtpCapabilityException.class, SmtpRejectedException.class)
                .satisfies(e -> {
                    // Refused by the client's pre-flight check against SIZE, or by Postfix's reply to MAIL SIZE=.
                    if (e instanceof SmtpCapabilityException c) {
                        assertThat(c.extension()).isEqualTo("SIZE");
                    } else {
                        assertThat(((SmtpRejectedException) e).reply().code()).isEqualTo(552);
                    }
                });
        assertThat(bytesRead.get()).as("octets of the body read for sending").isZero();
        postfix.awaitQueueEmpty(WAIT);
        assertThat(postfix.messagesFor(rcpt)).isEmpty();
    }

    @Test
    void aMessageOfUnknownSizeOverTheLimitIsRefusedAtItsEnd(PostfixServer postfix) throws Exception {
        String rcpt = unique("oversize-unknown");
        byte[] head = message(rcpt, "too big, size unknown", "").getBytes(StandardCharsets.US_ASCII);
        byte[] line = "0123456789012345678901234567890123456789012345678901234567890123456789\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] text = new byte[(int) postfix.sizeLimit() + 1024 * 1024];
        System.arraycopy(head, 0, text, 0, head.length);
        for (int i = head.length; i < text.length; i++) {
            text[i] = line[(i - head.length) % line.length];
        }
        text[text.length - 2] = '\r';
        text[text.length - 1] = '\n';
        MessageContent content = MessageContent.of(() -> new ByteArrayInputStream(text), OptionalLong.empty(),
                BodyType.SEVEN_BIT, false);

        assertThatThrownBy(() -> SendOnce.send(submissions(postfix), Envelope.of("sender@example.org", rcpt), content))
                .isInstanceOfSatisfying(SmtpRejectedException.class, e -> {
                    assertThat(e.reply().code()).isEqualTo(552);
                    assertThat(e.reply().text()).contains("5.3.4");
                });
        postfix.awaitQueueEmpty(WAIT);
        assertThat(postfix.messagesFor(rcpt)).isEmpty();
    }

    @Test
    void aWrongPasswordIsAnAuthenticationErrorThatDoesNotShowIt(PostfixServer postfix) throws Exception {
        String rcpt = unique("wrong-password");
        String wrong = "not-" + postfix.password();
        SmtpClient client = client(postfix, TlsMode.STARTTLS_REQUIRED, postfix.submissionPort())
                .credentials(Credentials.password(postfix.username(), wrong)).build();
        assertThatThrownBy(() -> client.send(Envelope.of("sender@example.org", rcpt),
                MessageContent.of(message(rcpt, "never", "body\r\n"))))
                .isInstanceOfSatisfying(SmtpAuthenticationException.class, e -> assertThat(e.reply())
                        .hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(535)))
                .hasMessageNotContaining(wrong);
        assertThat(transcript.toString()).doesNotContain(wrong);
        postfix.awaitQueueEmpty(WAIT);
        assertThat(postfix.messagesFor(rcpt)).isEmpty();
    }

    static Stream<Arguments> untrusted() {
        return Stream.of(Arguments.of(TlsMode.STARTTLS_REQUIRED, (ToIntFunction<PostfixServer>) PostfixServer::submissionPort),
                Arguments.of(TlsMode.IMPLICIT, (ToIntFunction<PostfixServer>) PostfixServer::submissionsPort));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("untrusted")
    void aCertificateFromAnUnknownCaEndsTheSessionBeforeAnyMail(TlsMode mode, ToIntFunction<PostfixServer> port,
            PostfixServer postfix) throws Exception {
        String rcpt = unique("unknown-ca");
        // The JDK's own trust store does not know the test CA.
        SmtpClient client = SmtpClient.builder(postfix.host()).port(port.applyAsInt(postfix)).tlsMode(mode)
                .credentials(Credentials.password(postfix.username(), postfix.password()))
                .timeout(WAIT).transcript(transcript::add).build();
        assertThatThrownBy(() -> client.send(Envelope.of("sender@example.org", rcpt),
                MessageContent.of(message(rcpt, "never", "body\r\n")))).isInstanceOf(SmtpSecurityException.class);
        assertThat(clientLines()).noneMatch(l -> l.startsWith("AUTH") || l.startsWith("MAIL"));
        postfix.awaitQueueEmpty(WAIT);
        assertThat(postfix.messagesFor(rcpt)).isEmpty();
    }

    @Test
    void aCertificateForAnotherNameEndsTheSession(PostfixServer postfix) throws Exception {
        String rcpt = unique("wrong-name");
        SmtpClient client = client(postfix, TlsMode.IMPLICIT, postfix.submissionsPort())
                .tlsServerName("mail.example.org").build();
        assertThatThrownBy(() -> client.send(Envelope.of("sender@example.org", rcpt),
                MessageContent.of(message(rcpt, "never", "body\r\n")))).isInstanceOf(SmtpSecurityException.class);
        postfix.awaitQueueEmpty(WAIT);
        assertThat(postfix.messagesFor(rcpt)).isEmpty();
    }

    @Test
    void requiredStartTlsRefusesAServerThatDoesNotOfferIt(PostfixServer postfix) throws Exception {
        String rcpt = unique("no-starttls");
        SmtpClient client = client(postfix, TlsMode.STARTTLS_REQUIRED, postfix.plainPort()).build();
        assertThatThrownBy(() -> client.send(Envelope.of("sender@example.org", rcpt),
                MessageContent.of(message(rcpt, "never", "body\r\n"))))
                .isInstanceOf(SmtpSecurityException.class).hasMessageContaining("STARTTLS");
        postfix.awaitQueueEmpty(WAIT);
        assertThat(postfix.messagesFor(rcpt)).isEmpty();
    }

    @Test
    void credentialsAreNotSentInCleartextUnlessAllowed(PostfixServer postfix) throws Exception {
        String rcpt = unique("cleartext");
        try (RecordingProxy proxy = RecordingProxy.start(postfix.host(), postfix.plainAuthPort())) {
            SmtpClient client = client(postfix, TlsMode.NONE, proxy.port())
                    .credentials(Credentials.password(postfix.username(), postfix.password())).build();
            assertThatThrownBy(() -> client.send(Envelope.of("sender@example.org", rcpt),
                    MessageContent.of(message(rcpt, "never", "body\r\n"))))
                    .isInstanceOf(SmtpSecurityException.class);
            proxy.awaitConnectionsClosed(WAIT);
            // Checked on the wire, not in the transcript, which masks what AUTH carries.
            assertThat(new String(proxy.bytes(RecordingProxy.Direction.CLIENT_TO_SERVER), StandardCharsets.UTF_8))
                    .as(proxy.transcript()).doesNotContain("AUTH").doesNotContain("MAIL FROM");
        }
        postfix.awaitQueueEmpty(WAIT);
        assertThat(postfix.messagesFor(rcpt)).isEmpty();
    }

    /** Counts what the client reads of a message body. */
    private static final class CountingStream extends InputStream {
        private final InputStream in;
        private final AtomicLong count;

        CountingStream(byte[] bytes, AtomicLong count) {
            this.in = new ByteArrayInputStream(bytes);
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }
    }
}
