package dev.jsmtp.transport;

import dev.jsmtp.SmtpConnection;
import dev.jsmtp.SmtpConnectionException;
import dev.jsmtp.SmtpRejectedException;
import dev.jsmtp.session.PipelinedBatch;
import dev.jsmtp.session.Session;
import dev.jsmtp.testing.ScriptedServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consecutive transactions through DATA with PIPELINING and no CHUNKING (RFC 2920 §3.1: content may open a
 * group): one client turn per message proven by the strict scripted server's marks, each reply charged to its
 * own message, no content after a refused DATA, the empty message after a stray 354, ambiguity only for a
 * message whose final dot went out unanswered, and the fall-back after a 503.
 */
class PipelinedDataTransactionsTest {

    private static final String GREETING = """
            S: 220 mx.example.org ESMTP
            C: EHLO client.example
            S: 250-mx.example.org
            S: 250 PIPELINING
            """;

    private static String content(int i) {
        return "To: rcpt" + i + "@example.org\r\nSubject: " + i + "\r\n\r\nbody " + i + "\r\n";
    }

    /** MAIL, RCPT and DATA of transaction {@code i}, opened by RSET unless it is the first. */
    private static String envelope(int i) {
        return (i == 0 ? "" : "C: RSET\n") + "C: MAIL FROM:<sender@example.org>\nC: RCPT TO:<rcpt" + i
                + "@example.org>\nC: DATA\n";
    }

    /** The content of message {@code i} and its final dot. */
    private static String data(int i) {
        return "D: " + (content(i) + ".\r\n").replace("\r", "\\r").replace("\n", "\\n") + "\n";
    }

    private static String accepted(int i) {
        return (i == 0 ? "" : "S: 250 2.0.0 Ok\n") + "S: 250 2.1.0 Ok\nS: 250 2.1.5 Ok\nS: 354 End data with <CR><LF>.<CR><LF>\n";
    }

    private static List<PipelinedBatch.Item> items(int count) {
        return IntStream.range(0, count).mapToObj(PooledTransportTest::message)
                .map(m -> new PipelinedBatch.Item(m.envelope(), m.content())).toList();
    }

    private static Session open(ScriptedServer server) throws Exception {
        Session session = Session.open(PooledTransportTest.config(server.port(), null));
        session.advanceTo(SmtpConnection.Stage.AUTH);
        return session;
    }

    @Test
    void fourMessagesCostFiveTurnsEachContentOpeningTheNextGroup() throws Exception {
        StringBuilder script = new StringBuilder(GREETING).append("!mark start\n").append(envelope(0))
                .append(accepted(0));
        for (int i = 1; i < 4; i++) {
            script.append(data(i - 1)).append(envelope(i)).append("S: 250 2.0.0 queued as Q").append(i - 1)
                    .append('\n').append(accepted(i));
        }
        script.append(data(3)).append("S: 250 2.0.0 queued as Q3\n!mark end\nC: QUIT\nS: 221 Bye\n");
        try (ScriptedServer server = ScriptedServer.start(script.toString())) {
            Session session = open(server);
            assertThat(PipelinedBatch.supported(session)).isTrue();
            long before = session.clientTurns();
            PipelinedBatch.Result r = PipelinedBatch.run(session, items(4));
            long turns = session.clientTurns() - before;
            session.close();
            server.awaitDone(Duration.ofSeconds(10));
            assertThat(server.turnsBetween("start", "end")).isEqualTo(5);
            assertThat(turns).isEqualTo(5);
            assertThat(r.fallBack()).isFalse();
            for (int i = 0; i < 4; i++) {
                assertThat(r.outcomes().get(i).result().finalReply().lines()).containsExactly("2.0.0 queued as Q" + i);
                assertThat(r.outcomes().get(i).result().recipients().get(0).forwardPath().toString())
                        .isEqualTo("rcpt" + i + "@example.org");
            }
        }
    }

    @Test
    void aRefusedEndOfDataIsChargedToItsOwnMessageOnly() throws Exception {
        String script = GREETING + envelope(0) + accepted(0) + data(0) + envelope(1)
                + "S: 554 5.7.1 message content rejected\n" + accepted(1) + data(1) + "S: 250 2.0.0 queued as Q1\n"
                + "C: QUIT\nS: 221 Bye\n";
        try (ScriptedServer server = ScriptedServer.start(script)) {
            Session session = open(server);
            PipelinedBatch.Result r = PipelinedBatch.run(session, items(2));
            session.close();
            server.awaitDone(Duration.ofSeconds(10));
            assertThat(r.outcomes().get(0).failure()).isInstanceOfSatisfying(SmtpRejectedException.class,
                    e -> assertThat(e.reply().code()).isEqualTo(554));
            assertThat(r.outcomes().get(0).failure().isAmbiguous()).isFalse();
            assertThat(r.outcomes().get(1).result().finalReply().lines()).containsExactly("2.0.0 queued as Q1");
        }
    }

    @Test
    void aRefusedDataSendsNoContentAndAStray354GetsTheEmptyMessage() throws Exception {
        // Message 0: recipient refused and DATA refused, so the next group has no content. Message 1: recipient
        // refused but DATA answered 354 anyway, so the dot alone ends it and delivers nothing. Message 2 goes.
        String script = GREETING + envelope(0)
                + "S: 250 2.1.0 Ok\nS: 550 5.1.1 no such user\nS: 554 5.5.1 Error: no valid recipients\n"
                + envelope(1) + "S: 250 2.0.0 Ok\nS: 250 2.1.0 Ok\nS: 550 5.1.1 no such user\nS: 354 go ahead\n"
                + "D: .\\r\\n\n" + envelope(2) + "S: 250 2.0.0 Ok\n" + accepted(2) + data(2)
                + "S: 250 2.0.0 queued as Q2\nC: QUIT\nS: 221 Bye\n";
        try (ScriptedServer server = ScriptedServer.start(script)) {
            Session session = open(server);
            PipelinedBatch.Result r = PipelinedBatch.run(session, items(3));
            session.close();
            server.awaitDone(Duration.ofSeconds(10));
            for (int i = 0; i < 2; i++) {
                assertThat(r.outcomes().get(i).failure()).as("message %d", i)
                        .isInstanceOfSatisfying(SmtpRejectedException.class, e -> {
                            assertThat(e.reply().code()).isEqualTo(550);
                            assertThat(e.refusedRecipients()).hasSize(1);
                        });
            }
            assertThat(r.outcomes().get(2).result().finalReply().lines()).containsExactly("2.0.0 queued as Q2");
        }
    }

    @Test
    void aDropAfterAFinalDotMakesOnlyThatMessageAmbiguous() throws Exception {
        String script = GREETING + envelope(0) + accepted(0) + data(0) + envelope(1) + "!close\n";
        try (ScriptedServer server = ScriptedServer.start(script)) {
            Session session = open(server);
            PipelinedBatch.Result r = PipelinedBatch.run(session, items(3));
            server.awaitDone(Duration.ofSeconds(10));
            assertThat(r.outcomes().get(0).failure()).isInstanceOf(SmtpConnectionException.class);
            assertThat(r.outcomes().get(0).failure().isAmbiguous()).isTrue();
            for (int i = 1; i < 3; i++) {
                assertThat(r.outcomes().get(i).failure()).as("message %d", i)
                        .isInstanceOf(SmtpConnectionException.class);
                assertThat(r.outcomes().get(i).failure().isAmbiguous()).as("message %d", i).isFalse();
            }
            assertThat(session.isUsable()).isFalse();
        }
    }

    @Test
    void a421ToTheFinalDotIsAReplyNotAnAmbiguity() throws Exception {
        String script = GREETING + envelope(0) + accepted(0) + data(0) + envelope(1)
                + "S: 421 4.3.2 shutting down\n!close\n";
        try (ScriptedServer server = ScriptedServer.start(script)) {
            Session session = open(server);
            PipelinedBatch.Result r = PipelinedBatch.run(session, items(2));
            server.awaitDone(Duration.ofSeconds(10));
            assertThat(r.outcomes().get(0).failure()).isInstanceOfSatisfying(SmtpRejectedException.class,
                    e -> assertThat(e.reply().code()).isEqualTo(421));
            for (int i = 0; i < 2; i++) {
                assertThat(r.outcomes().get(i).failure().isAmbiguous()).as("message %d", i).isFalse();
                assertThat(r.outcomes().get(i).failure().isTransient()).as("message %d", i).isTrue();
            }
        }
    }

    @Test
    void a503ToAMailAfterContentFallsBackAndReturnsTheRestForSendingAlone() throws Exception {
        String script = GREETING + envelope(0) + accepted(0) + data(0) + envelope(1)
                + "S: 250 2.0.0 queued as Q0\nS: 250 2.0.0 Ok\nS: 503 5.5.1 Error: nested MAIL command\n"
                + "S: 554 5.5.1 Error: no valid recipients\nS: 554 5.5.1 Error: no valid recipients\n"
                + "C: RSET\nS: 250 2.0.0 Ok\nC: QUIT\nS: 221 Bye\n";
        try (ScriptedServer server = ScriptedServer.start(script)) {
            Session session = open(server);
            PipelinedBatch.Result r = PipelinedBatch.run(session, items(3));
            session.close();
            server.awaitDone(Duration.ofSeconds(10));
            assertThat(r.fallBack()).isTrue();
            assertThat(r.outcomes().get(0).result().finalReply().code()).isEqualTo(250);
            assertThat(r.outcomes().get(1).sendAlone()).isTrue();
            assertThat(r.outcomes().get(2).sendAlone()).isTrue();
        }
    }
}
