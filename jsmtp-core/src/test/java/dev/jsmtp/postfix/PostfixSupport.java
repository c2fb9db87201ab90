package dev.jsmtp.postfix;

import dev.jsmtp.testing.SendOnce;

import dev.jsmtp.Credentials;
import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.TlsMode;
import dev.jsmtp.TranscriptEvent;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What the Postfix ITs share: a client builder per TLS mode that records the transcript (printed when a test
 * fails), unique recipients, and an octet-by-octet comparison that names the first difference.
 */
@ExtendWith(PostfixExtension.class)
abstract class PostfixSupport {

    static final Duration WAIT = Duration.ofSeconds(30);

    final List<TranscriptEvent> transcript = new CopyOnWriteArrayList<>();

    @RegisterExtension
    final TestWatcher printTranscriptOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            System.err.println("---- transcript of " + context.getRequiredTestMethod().getName() + " ["
                    + context.getDisplayName() + "] ----");
            transcript.forEach(e -> System.err.println(e.kind() + " " + e.text()));
        }
    };

    List<String> clientLines() {
        return transcript.stream().filter(e -> e.kind() == TranscriptEvent.Kind.CLIENT).map(TranscriptEvent::text)
                .toList();
    }

    static String unique(String tag) {
        return tag + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    static String message(String to, String subject, String body) {
        return "From: sender@example.org\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <"
                + UUID.randomUUID() + "@example.org>\r\n\r\n" + body;
    }

    SmtpClient.Builder client(PostfixServer postfix, TlsMode mode, int port) throws IOException {
        SmtpClient.Builder b = SmtpClient.builder(postfix.host()).port(port).tlsMode(mode).timeout(WAIT)
                .transcript(transcript::add);
        return mode == TlsMode.NONE ? b : b.trustedCertificates(postfix.caPem());
    }

    /** Implicit TLS with AUTH PLAIN: the usual way an application sends. */
    SmtpClient.Builder submissions(PostfixServer postfix) throws IOException {
        return client(postfix, TlsMode.IMPLICIT, postfix.submissionsPort())
                .credentials(Credentials.password(postfix.username(), postfix.password()));
    }

    static void assertSameOctets(byte[] actual, byte[] expected) {
        int at = Arrays.mismatch(actual, expected);
        if (at >= 0) {
            fail("delivered octets differ at offset " + at + " (delivered " + actual.length + ", sent "
                    + expected.length + "): delivered \"" + excerpt(actual, at) + "\" vs sent \""
                    + excerpt(expected, at) + "\"");
        }
    }

    private static String excerpt(byte[] bytes, int at) {
        int from = Math.max(0, at - 40);
        int to = Math.min(bytes.length, at + 40);
        return new String(bytes, from, to - from, StandardCharsets.UTF_8).replace("\r", "\\r").replace("\n", "\\n");
    }

    /** Sends {@code text} to one fresh recipient and returns what Postfix delivered after checking the octets. */
    DeliveredMessage sendAndAssertSameOctets(PostfixServer postfix, SmtpClient.Builder client, String rcpt, String text)
            throws IOException {
        SendResult result = SendOnce.send(client, Envelope.of("sender@example.org", rcpt), MessageContent.of(text));
        assertThat(result.allAccepted()).as("recipients: %s", result.recipients()).isTrue();
        String queueId = PostfixServer.queueId(result.finalReply().text());
        DeliveredMessage delivered = postfix.awaitMessage(queueId, WAIT);
        assertThat(delivered.reversePath()).isEqualTo("sender@example.org");
        assertThat(delivered.forwardPaths()).containsExactly(rcpt);
        assertSameOctets(delivered.withoutTraceHeaders(), text.getBytes(StandardCharsets.UTF_8));
        return delivered;
    }
}
