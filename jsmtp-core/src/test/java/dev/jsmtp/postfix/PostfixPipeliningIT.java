package dev.jsmtp.postfix;

import dev.jsmtp.Credentials;
import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpConnection;
import dev.jsmtp.TlsMode;
import dev.jsmtp.testing.RecordingProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves PIPELINING (RFC 2920) and CHUNKING (RFC 3030) against Postfix twice over: by the client turns a
 * {@link RecordingProxy} counts, and by the commands Postfix itself counted in its {@code disconnect} log line.
 * The proxy delays replies by a few milliseconds so that a batch the client wrote in pieces still counts once.
 */
@ExtendWith(PostfixExtension.class)
class PostfixPipeliningIT {

    private static final Duration WAIT = PostfixSupport.WAIT;
    private static final Duration REPLY_DELAY = Duration.ofMillis(25);

    /**
     * One transaction to three recipients on an open connection. With both extensions MAIL, the RCPTs, BDAT LAST
     * and the content go in one flight; PIPELINING alone needs a second for the content after 354; without
     * PIPELINING every command waits for its reply.
     */
    @ParameterizedTest(name = "pipelining={0} chunking={1}: {2} turns, {3}")
    @CsvSource({
            "true,  true,  1, bdat=1",
            "true,  false, 2, data=1",
            "false, true,  5, bdat=1",
            "false, false, 6, data=1"})
    void aTransactionTakesAsManyTurnsAsItsExtensionsAllow(boolean pipelining, boolean chunking, int turns,
            String counted, PostfixServer postfix) throws Exception {
        String[] rcpts = {PostfixSupport.unique("p1"), PostfixSupport.unique("p2"), PostfixSupport.unique("p3")};
        try (RecordingProxy proxy = RecordingProxy.start(postfix.host(), postfix.plainPort(), Duration.ZERO,
                REPLY_DELAY)) {
            SmtpClient client = SmtpClient.builder(postfix.host()).port(proxy.port()).tlsMode(TlsMode.NONE)
                    .pipelining(pipelining).chunking(chunking).timeout(WAIT).build();
            SendResult result;
            int transactionTurns;
            try (SmtpConnection connection = client.connect(SmtpConnection.Stage.AUTH)) {
                int before = proxy.clientTurns();
                result = connection.send(Envelope.of("sender@example.org", rcpts),
                        MessageContent.of(PostfixSupport.message(rcpts[0], "turns", "body\r\n.dot\r\n")));
                transactionTurns = proxy.clientTurns() - before;
            }
            proxy.awaitConnectionsClosed(WAIT);
            assertThat(result.accepted()).hasSize(3);
            assertThat(transactionTurns).as("client turns of the transaction; conversation:%n%s", proxy.transcript())
                    .isEqualTo(turns);

            String queueId = PostfixServer.queueId(result.finalReply().text());
            String disconnect = postfix.awaitDisconnectLine(queueId, WAIT);
            assertThat(disconnect).contains(" mail=1 ", " rcpt=3 ", " " + counted + " ")
                    .doesNotContain(counted.startsWith("bdat") ? " data=" : " bdat=");
            assertThat(postfix.awaitMessage(queueId, WAIT).forwardPaths()).containsExactlyInAnyOrder(rcpts);
        }
    }

    @Test
    void aHundredMessagesOnOneConnectionTakeOneTurnEach(PostfixServer postfix) throws Exception {
        try (RecordingProxy proxy = RecordingProxy.start(postfix.host(), postfix.plainAuthPort(), Duration.ZERO,
                REPLY_DELAY)) {
            SmtpClient client = SmtpClient.builder(postfix.host()).port(proxy.port()).tlsMode(TlsMode.NONE)
                    .credentials(Credentials.password(postfix.username(), postfix.password()))
                    .authMechanism("PLAIN").allowCleartextAuthenticationDangerously().timeout(WAIT).build();
            String last = null;
            try (SmtpConnection connection = client.connect(SmtpConnection.Stage.AUTH)) {
                // EHLO, then AUTH PLAIN with its initial response.
                assertThat(proxy.clientTurns()).as(proxy.transcript()).isEqualTo(2);
                for (int i = 0; i < 100; i++) {
                    String rcpt = PostfixSupport.unique("reuse" + i);
                    connection.send(Envelope.of("sender@example.org", rcpt),
                            MessageContent.of(PostfixSupport.message(rcpt, "message " + i, "body " + i + "\r\n")));
                    last = rcpt;
                }
                assertThat(proxy.clientTurns()).as(proxy.transcript()).isEqualTo(2 + 100);
            }
            proxy.awaitConnectionsClosed(WAIT);
            assertThat(proxy.connections()).isEqualTo(1);
            DeliveredMessage delivered = postfix.awaitMessage(last, WAIT);
            assertThat(postfix.awaitDisconnectLine(delivered.queueId(), WAIT))
                    .contains(" auth=1 ", " mail=100 ", " rcpt=100 ", " bdat=100 ");
        }
    }
}
