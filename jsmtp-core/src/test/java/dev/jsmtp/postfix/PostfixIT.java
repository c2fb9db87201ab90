package dev.jsmtp.postfix;

import dev.jsmtp.BodyType;
import dev.jsmtp.Credentials;
import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpAuthenticationException;
import dev.jsmtp.SmtpCapabilityException;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpRejectedException;
import dev.jsmtp.SmtpSecurityException;
import dev.jsmtp.TlsMode;
import dev.jsmtp.TranscriptEvent;
import dev.jsmtp.testing.RecordingProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Sends with jsmtp's {@link SmtpClient} through a real Postfix in every TLS mode (RFC 3207, RFC 8314), with and
 * without AUTH (RFC 4954), and compares the delivered octets with what was sent. Pipelining and chunking are in
 * {@link PostfixPipeliningIT}. The conversation of a failing test is printed.
 */
@ExtendWith(PostfixExtension.class)
class PostfixIT {

    static final Duration WAIT = Duration.ofSeconds(30);

    private final List<TranscriptEvent> transcript = new CopyOnWriteArrayList<>();

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
    DeliveredMessage sendAndCompare(PostfixServer postfix, SmtpClient.Builder client, String rcpt, String text)
            throws IOException {
        SendResult result = client.build().send(Envelope.of("sender@example.org", rcpt), MessageContent.of(text));
        assertThat(result.allAccepted()).as("recipients: %s", result.recipients()).isTrue();
        String queueId = PostfixServer.queueId(result.finalReply().text());
        DeliveredMessage delivered = postfix.awaitMessage(queueId, WAIT);
        assertThat(delivered.reversePath()).isEqualTo("sender@example.org");
        assertThat(delivered.forwardPaths()).containsExactly(rcpt);
        assertSameOctets(delivered.withoutTraceHeaders(), text.getBytes(StandardCharsets.UTF_8));
        return delivered;
    }

    static Stream<Arguments> modes() {
        ToIntFunction<PostfixServer> plain = PostfixServer::plainPort;
        ToIntFunction<PostfixServer> plainAuth = PostfixServer::plainAuthPort;
        ToIntFunction<PostfixServer> submission = PostfixServer::submissionPort;
        ToIntFunction<PostfixServer> submissions = PostfixServer::submissionsPort;
        List<Arguments> all = new ArrayList<>();
        all.add(Arguments.of(TlsMode.NONE, "plain", plain, "", "ESMTP"));
        all.add(Arguments.of(TlsMode.STARTTLS_OPPORTUNISTIC, "plain", plain, "", "ESMTP"));
        all.add(Arguments.of(TlsMode.STARTTLS_REQUIRED, "submission", submission, "", "ESMTPS"));
        all.add(Arguments.of(TlsMode.STARTTLS_OPPORTUNISTIC, "submission", submission, "", "ESMTPS"));
        all.add(Arguments.of(TlsMode.IMPLICIT, "submissions", submissions, "", "ESMTPS"));
        for (String mechanism : List.of("PLAIN", "LOGIN", "CRAM-MD5")) {
            all.add(Arguments.of(TlsMode.NONE, "plain-auth", plainAuth, mechanism, "ESMTPA"));
            all.add(Arguments.of(TlsMode.STARTTLS_REQUIRED, "submission", submission, mechanism, "ESMTPSA"));
            all.add(Arguments.of(TlsMode.IMPLICIT, "submissions", submissions, mechanism, "ESMTPSA"));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} on {1} port, AUTH {3}")
    @MethodSource("modes")
    void deliversTheSameOctetsInEveryTlsModeWithAndWithoutAuth(TlsMode mode, String portName,
            ToIntFunction<PostfixServer> port, String mechanism, String protocol, PostfixServer postfix)
            throws Exception {
        SmtpClient.Builder client = client(postfix, mode, port.applyAsInt(postfix));
        if (!mechanism.isEmpty()) {
            client.credentials(Credentials.password(postfix.username(), postfix.password()))
                    .authMechanism(mechanism);
            if (mode == TlsMode.NONE) {
                client.allowCleartextAuthenticationDangerously();
            }
        }
        String rcpt = unique("mode");
        String text = message(rcpt, "hello in " + mode.cliName(), "First line\r\nsecond line\r\n");

        DeliveredMessage delivered = sendAndCompare(postfix, client, rcpt, text);

        // Postfix names in its trace header how the message came: S = TLS, A = authenticated.
        assertThat(delivered.traceHeader()).contains(" with " + protocol + " id " + delivered.queueId());
        String all = transcript.toString();
        String password = postfix.password();
        assertThat(all).doesNotContain(password)
                .doesNotContain(Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void verifiesTheCertificateByHostNameToo(PostfixServer postfix) throws Exception {
        SmtpClient.Builder client = SmtpClient.builder("localhost").port(postfix.submissionPort())
                .tlsMode(TlsMode.STARTTLS_REQUIRED).trustedCertificates(postfix.caPem()).timeout(WAIT)
                .transcript(transcript::add);
        String rcpt = unique("localhost");
        sendAndCompare(postfix, client, rcpt, message(rcpt, "by name", "body\r\n"));
    }

    @Test
    void utf8SubjectAndBodyArriveUnchanged(PostfixServer postfix) throws Exception {
        String rcpt = unique("utf8");
        String text = message(rcpt, "Grüße aus Köln — ☃ 日本語", "Zwölf Boxkämpfer jagen Viktor quer über den Sylter Deich.\r\n"
                + "日本語のテキスト\r\n🎉\r\n");
        DeliveredMessage delivered = sendAndCompare(postfix, submissions(postfix), rcpt, text);
        // A UTF-8 header section travels only with SMTPUTF8 (RFC 6532); Postfix records it in its trace header.
        assertThat(delivered.traceHeader()).contains(" with UTF8SMTPSA ");
    }

    @Test
    void linesStartingWithADotAndALoneDotArriveUnchanged(PostfixServer postfix) throws Exception {
        String rcpt = unique("dots");
        String text = message(rcpt, "dots", ".leading dot\r\n.\r\n..\r\n...three\r\n. space\r\nmiddle . dot\r\n"
                + "\r\n.\r\nlast line\r\n.\r\n");
        sendAndCompare(postfix, submissions(postfix), rcpt, text);
    }

    @Test
    void bareLineFeedsArriveAsCrLf(PostfixServer postfix) throws Exception {
        String rcpt = unique("lf");
        String text = message(rcpt, "lf", "").replace("\r\n", "\n") + "one\n.two\n.\nthree";
        SendResult result = submissions(postfix).build()
                .send(Envelope.of("sender@example.org", rcpt), MessageContent.of(text));
        DeliveredMessage delivered = postfix.awaitMessage(PostfixServer.queueId(result.finalReply().text()), WAIT);
        assertSameOctets(delivered.withoutTraceHeaders(),
                (text.replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "chunking={0}")
    @ValueSource(booleans = {true, false})
    void aTenMebibyteMessageArrivesUnchanged(boolean chunking, PostfixServer postfix) throws Exception {
        String rcpt = unique("big");
        StringBuilder body = new StringBuilder(10 * 1024 * 1024 + 100);
        for (int line = 0; body.length() < 10 * 1024 * 1024; line++) {
            body.append(line % 1000 == 0 ? "." : "").append(String.format("%08d ", line))
                    .append("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-äöü\r\n");
        }
        DeliveredMessage delivered = sendAndCompare(postfix, submissions(postfix).chunking(chunking), rcpt,
                message(rcpt, "ten mebibytes", body.toString()));
        assertThat(delivered.bytes().length).isGreaterThan(10 * 1024 * 1024);
    }

    @Test
    void anSmtpUtf8AddressArrivesInTheEnvelope(PostfixServer postfix) throws Exception {
        String rcpt = "jöe-" + UUID.randomUUID().toString().substring(0, 8) + "@exämple.com";
        String text = message("joe@example.com", "utf8 address", "body\r\n");
        SendResult result = submissions(postfix).build()
                .send(Envelope.of("sénder@example.org", rcpt), MessageContent.of(text));
        DeliveredMessage delivered = postfix.awaitMessage(PostfixServer.queueId(result.finalReply().text()), WAIT);
        assertThat(delivered.reversePath()).isEqualTo("sénder@example.org");
        assertThat(delivered.forwardPaths()).containsExactly(rcpt);
        assertSameOctets(delivered.withoutTraceHeaders(), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aHundredRecipientsGetOneMessage(PostfixServer postfix) throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String[] rcpts = new String[100];
        for (int i = 0; i < rcpts.length; i++) {
            rcpts[i] = "r" + i + "-" + tag + "@example" + (i % 7) + ".com";
        }
        String text = message("undisclosed-recipients:;", "hundred", "to many\r\n");
        SendResult result = submissions(postfix).build()
                .send(Envelope.of("sender@example.org", rcpts), MessageContent.of(text));
        assertThat(result.accepted()).hasSize(100);
        DeliveredMessage delivered = postfix.awaitMessage(PostfixServer.queueId(result.finalReply().text()), WAIT);
        assertThat(delivered.forwardPaths()).containsExactlyInAnyOrder(rcpts);
        assertSameOctets(delivered.withoutTraceHeaders(), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRefusedRecipientIsInTheResultAndTheOthersStillGetTheMessage(PostfixServer postfix) throws Exception {
        String first = unique("first");
        String second = unique("second");
        String text = message(first, "partial", "body\r\n");
        SendResult result = submissions(postfix).build().send(
                Envelope.of("sender@example.org", first, postfix.rejectedRecipient(), second),
                MessageContent.of(text));

        assertThat(result.allAccepted()).isFalse();
        assertThat(result.refused()).singleElement().satisfies(r -> {
            assertThat(r.forwardPath().toString()).isEqualTo(postfix.rejectedRecipient());
            assertThat(r.reply().code()).isEqualTo(550);
            assertThat(r.reply().text()).contains("5.1.1");
        });
        assertThat(result.accepted()).extracting(r -> r.forwardPath().toString()).containsExactly(first, second);
        DeliveredMessage delivered = postfix.awaitMessage(PostfixServer.queueId(result.finalReply().text()), WAIT);
        assertThat(delivered.forwardPaths()).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void allOrNothingSendsNothingWhenARecipientIsRefused(PostfixServer postfix) throws Exception {
        String accepted = unique("aon");
        assertThatThrownBy(() -> submissions(postfix).allOrNothing(true).build().send(
                Envelope.of("sender@example.org", accepted, postfix.rejectedRecipient()),
                MessageContent.of(message(accepted, "all or nothing", "body\r\n"))))
                .isInstanceOfSatisfying(SmtpRejectedException.class, e -> assertThat(e.refusedRecipients())
                        .extracting(r -> r.forwardPath().toString()).containsExactly(postfix.rejectedRecipient()));
        postfix.awaitQueueEmpty(WAIT);
        assertThat(postfix.messagesFor(accepted)).isEmpty();
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedBeforeItsBodyIsSent(PostfixServer postfix) throws Exception {
        String rcpt = unique("oversize");
        AtomicLong bytesRead = new AtomicLong();
        MessageContent content = MessageContent.of(() -> new CountingStream(
                message(rcpt, "too big", "x\r\n").getBytes(StandardCharsets.US_ASCII), bytesRead),
                OptionalLong.of(postfix.sizeLimit() + 1), BodyType.SEVEN_BIT, false);

        assertThatThrownBy(() -> submissions(postfix).build().send(Envelope.of("sender@example.org", rcpt), content))
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

        assertThatThrownBy(() -> submissions(postfix).build().send(Envelope.of("sender@example.org", rcpt), content))
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
