package dev.jsmtp.postfix;

import dev.jsmtp.testing.SendOnce;

import dev.jsmtp.Credentials;
import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpRejectedException;
import dev.jsmtp.TlsMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sends with jsmtp's {@link SmtpClient} through a real Postfix in every TLS mode (RFC 3207, RFC 8314), with and
 * without AUTH (RFC 4954), and compares the delivered octets with what was sent: ASCII, UTF-8 (RFC 6532), dot
 * lines, 10 MiB, SMTPUTF8 addresses (RFC 6531), many recipients and refused ones. Refusals are in
 * {@link PostfixRefusalIT}, pipelining and chunking in {@link PostfixPipeliningIT}.
 */
class PostfixIT extends PostfixSupport {

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

        DeliveredMessage delivered = sendAndAssertSameOctets(postfix, client, rcpt, text);

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
        sendAndAssertSameOctets(postfix, client, rcpt, message(rcpt, "by name", "body\r\n"));
    }

    @Test
    void utf8SubjectAndBodyArriveUnchanged(PostfixServer postfix) throws Exception {
        String rcpt = unique("utf8");
        String text = message(rcpt, "Grüße aus Köln — ☃ 日本語", "Zwölf Boxkämpfer jagen Viktor quer über den Sylter Deich.\r\n"
                + "日本語のテキスト\r\n🎉\r\n");
        DeliveredMessage delivered = sendAndAssertSameOctets(postfix, submissions(postfix), rcpt, text);
        // A UTF-8 header section travels only with SMTPUTF8 (RFC 6532); Postfix records it in its trace header.
        assertThat(delivered.traceHeader()).contains(" with UTF8SMTPSA ");
    }

    @Test
    void linesStartingWithADotAndALoneDotArriveUnchanged(PostfixServer postfix) throws Exception {
        String rcpt = unique("dots");
        String text = message(rcpt, "dots", ".leading dot\r\n.\r\n..\r\n...three\r\n. space\r\nmiddle . dot\r\n"
                + "\r\n.\r\nlast line\r\n.\r\n");
        sendAndAssertSameOctets(postfix, submissions(postfix), rcpt, text);
    }

    @Test
    void bareLineFeedsArriveAsCrLf(PostfixServer postfix) throws Exception {
        String rcpt = unique("lf");
        String text = message(rcpt, "lf", "").replace("\r\n", "\n") + "one\n.two\n.\nthree";
        SendResult result = SendOnce.send(submissions(postfix), Envelope.of("sender@example.org", rcpt), MessageContent.of(text));
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
        DeliveredMessage delivered = sendAndAssertSameOctets(postfix, submissions(postfix).chunking(chunking), rcpt,
                message(rcpt, "ten mebibytes", body.toString()));
        assertThat(delivered.bytes().length).isGreaterThan(10 * 1024 * 1024);
    }

    @Test
    void anSmtpUtf8AddressArrivesInTheEnvelope(PostfixServer postfix) throws Exception {
        String rcpt = "jöe-" + UUID.randomUUID().toString().substring(0, 8) + "@exämple.com";
        String text = message("joe@example.com", "utf8 address", "body\r\n");
        SendResult result = SendOnce.send(submissions(postfix), Envelope.of("sénder@example.org", rcpt), MessageContent.of(text));
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
        SendResult result = SendOnce.send(submissions(postfix), Envelope.of("sender@example.org", rcpts), MessageContent.of(text));
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
        SendResult result = SendOnce.send(submissions(postfix), 
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
        assertThatThrownBy(() -> SendOnce.send(submissions(postfix).allOrNothing(true), 
                Envelope.of("sender@example.org", accepted, postfix.rejectedRecipient()),
                MessageContent.of(message(accepted, "all or nothing", "body\r\n"))))
                .isInstanceOfSatisfying(SmtpRejectedException.class, e -> assertThat(e.refusedRecipients())
                        .extracting(r -> r.forwardPath().toString()).containsExactly(postfix.rejectedRecipient()));
        postfix.awaitQueueEmpty(WAIT);
        assertThat(postfix.messagesFor(accepted)).isEmpty();
    }
}
