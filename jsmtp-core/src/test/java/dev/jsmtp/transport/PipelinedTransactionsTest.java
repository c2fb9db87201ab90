package dev.jsmtp.transport;

import dev.jsmtp.BulkResult;
import dev.jsmtp.OutgoingMessage;
import dev.jsmtp.RetryPolicy;
import dev.jsmtp.SendOutcome;
import dev.jsmtp.SmtpConnection;
import dev.jsmtp.SmtpConnectionException;
import dev.jsmtp.session.PipelinedBatch;
import dev.jsmtp.session.Session;
import dev.jsmtp.testing.ScriptedServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several whole transactions in one flight (RFC 2920 + RFC 3030): turn counts proven by the strict scripted
 * server's marks, per-message results, ambiguity when the connection drops, and the fall-back after a 503.
 */
class PipelinedTransactionsTest {

    private static final String GREETING = """
            S: 220 mx.example.org ESMTP
            C: EHLO client.example
            S: 250-mx.example.org
            S: 250-PIPELINING
            S: 250 CHUNKING
            """;

    private static String content(int i) {
        return "To: rcpt" + i + "@example.org\r\nSubject: " + i + "\r\n\r\nbody " + i + "\r\n";
    }

    private static String escaped(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    /** The client's side of transaction {@code i}, opened by RSET unless it is the first of its flight. */
    private static String clientLines(int i, boolean first) {
        return (first ? "" : "C: RSET\n") + "C: MAIL FROM:<sender@example.org>\nC: RCPT TO:<rcpt" + i
                + "@example.org>\nC: BDAT " + content(i).length() + " LAST\nD: " + escaped(content(i)) + "\n";
    }

    private static String serverLines(int i, boolean first) {
        return (first ? "" : "S: 250 2.0.0 Ok\n") + "S: 250 2.1.0 Ok\nS: 250 2.1.5 Ok\nS: 250 2.0.0 queued as Q" + i
                + "\n";
    }

    private static List<PipelinedBatch.Item> items(int from, int to) {
        return IntStream.range(from, to).mapToObj(PooledTransportTest::message)
                .map(m -> new PipelinedBatch.Item(m.envelope(), m.content())).toList();
    }

    private static Session open(ScriptedServer server) throws Exception {
        Session session = Session.open(PooledTransportTest.config(server.port(), null));
        session.advanceTo(SmtpConnection.Stage.AUTH);
        return session;
    }

    @Test
    void sixteenMessagesInTwoFlightsOfEightCostTwoTurns() throws Exception {
        StringBuilder script = new StringBuilder(GREETING).append("!mark start\n");
        for (int flight = 0; flight < 2; flight++) {
            for (int i = flight * 8; i < flight * 8 + 8; i++) {
                script.append(clientLines(i, i % 8 == 0));
            }
            for (int i = flight * 8; i < flight * 8 + 8; i++) {
                script.append(serverLines(i, i % 8 == 0));
            }
        }
        script.append("!mark end\nC: QUIT\nS: 221 Bye\n");
        try (ScriptedServer server = ScriptedServer.start(script.toString())) {
            Session session = open(server);
            long before = session.clientTurns();
            List<PipelinedBatch.Outcome> outcomes = new ArrayList<>();
            for (int flight = 0; flight < 2; flight++) {
                assertThat(PipelinedBatch.supported(session)).isTrue();
                PipelinedBatch.Result r = PipelinedBatch.run(session, items(flight * 8, flight * 8 + 8));
                assertThat(r.fallBack()).isFalse();
                outcomes.addAll(r.outcomes());
            }
            long turns = session.clientTurns() - before;
            session.close();
            server.awaitDone(Duration.ofSeconds(10));
            assertThat(server.turnsBetween("start", "end")).isEqualTo(2);
            assertThat(turns).isEqualTo(2);
            assertThat((double) turns / 16).isLessThanOrEqualTo(0.25);
            for (int i = 0; i < 16; i++) {
                assertThat(outcomes.get(i).result().finalReply().lines()).containsExactly("2.0.0 queued as Q" + i);
                assertThat(outcomes.get(i).result().recipients().get(0).forwardPath().toString())
                        .isEqualTo("rcpt" + i + "@example.org");
            }
        }
    }

    @Test
    void aDropAfterTheFlightMakesEveryUnansweredTransactionAmbiguous() throws Exception {
        String script = GREETING + clientLines(0, true) + clientLines(1, false) + clientLines(2, false)
                + serverLines(0, true) + "S: 250 2.0.0 Ok\nS: 250 2.1.0 Ok\n!close\n";
        try (ScriptedServer server = ScriptedServer.start(script)) {
            Session session = open(server);
            PipelinedBatch.Result r = PipelinedBatch.run(session, items(0, 3));
            server.awaitDone(Duration.ofSeconds(10));
            assertThat(r.outcomes().get(0).result().finalReply().code()).isEqualTo(250);
            for (int i = 1; i < 3; i++) {
                assertThat(r.outcomes().get(i).failure()).isInstanceOf(SmtpConnectionException.class);
                assertThat(r.outcomes().get(i).failure().isAmbiguous()).as("transaction " + i).isTrue();
            }
            assertThat(session.isUsable()).isFalse();
        }
    }

    @Test
    void a421StopsTheFlightWithoutAmbiguity() throws Exception {
        String script = GREETING + clientLines(0, true) + clientLines(1, false) + clientLines(2, false)
                + serverLines(0, true) + "S: 250 2.0.0 Ok\nS: 421 4.3.2 shutting down\n!close\n";
        try (ScriptedServer server = ScriptedServer.start(script)) {
            Session session = open(server);
            PipelinedBatch.Result r = PipelinedBatch.run(session, items(0, 3));
            server.awaitDone(Duration.ofSeconds(10));
            assertThat(r.outcomes().get(0).result()).isNotNull();
            for (int i = 1; i < 3; i++) {
                assertThat(r.outcomes().get(i).failure().isAmbiguous()).as("transaction " + i).isFalse();
                assertThat(r.outcomes().get(i).failure().isTransient()).as("transaction " + i).isTrue();
            }
        }
    }

    @Test
    void a503ToAPipelinedMailFallsBackAndReturnsTheMessagesForSendingAlone() throws Exception {
        String script = GREETING + clientLines(0, true) + clientLines(1, false) + clientLines(2, false)
                + serverLines(0, true)
                + "S: 250 2.0.0 Ok\nS: 503 5.5.1 Error: nested MAIL command\nS: 554 5.5.1 no valid recipients\n"
                + "S: 554 5.5.1 no valid recipients\n"
                + "S: 250 2.0.0 Ok\nS: 503 5.5.1 Error: nested MAIL command\nS: 554 5.5.1 no valid recipients\n"
                + "S: 554 5.5.1 no valid recipients\n"
                + "C: RSET\nS: 250 2.0.0 Ok\nC: QUIT\nS: 221 Bye\n";
        try (ScriptedServer server = ScriptedServer.start(script)) {
            Session session = open(server);
            PipelinedBatch.Result r = PipelinedBatch.run(session, items(0, 3));
            session.close();
            server.awaitDone(Duration.ofSeconds(10));
            assertThat(r.fallBack()).isTrue();
            assertThat(r.outcomes().get(0).result()).isNotNull();
            assertThat(r.outcomes().get(1).sendAlone()).isTrue();
            assertThat(r.outcomes().get(2).sendAlone()).isTrue();
        }
    }

    @Test
    void thePooledClientPipelinesBulkMessagesAndEachKeepsItsOwnRecipient() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = new PooledTransport(PooledTransportTest.config(server.port(), null),
                     new PooledTransport.Settings(3, 10_000, Duration.ofSeconds(30), 0, RetryPolicy.NONE, 8),
                     new FakeTicker(), () -> 0.5)) {
            List<OutgoingMessage> messages = IntStream.range(0, 200).mapToObj(PooledTransportTest::message).toList();
            BulkResult result = t.sendAll(messages.iterator(), o -> { });
            assertThat(result.sent()).isEqualTo(200);
            assertThat(server.commandCount("RSET")).isPositive(); // transactions did share flights
            assertThat(t.pipelinedTransactionsEnabled()).isTrue();
            // Fewer than one round trip per message (the exact flight sizes depend on thread timing).
            assertThat(t.transactions()).isEqualTo(200);
            assertThat(t.clientTurns()).isLessThan(200);
            System.out.printf("pipelined bulk: %d turns for %d messages (%.3f a message)%n", t.clientTurns(),
                    t.transactions(), t.clientTurns() / (double) t.transactions());
            assertThat(server.maxConcurrentConnections()).isLessThanOrEqualTo(3);
            assertThat(server.deliveries()).hasSize(200);
            for (FakeSmtpServer.Delivery d : server.deliveries()) {
                assertThat(d.to()).hasSize(1);
                assertThat(d.text()).startsWith("To: " + d.to().get(0) + "\r\n");
            }
        }
    }

    @Test
    void thePooledClientFallsBackToOneTransactionAtATimeAfterA503() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern()) {
            // The first MAIL that follows a pipelined RSET is refused, as by a server that takes one at a time.
            boolean[] afterRset = new boolean[64];
            java.util.concurrent.atomic.AtomicBoolean refused = new java.util.concurrent.atomic.AtomicBoolean();
            server.hook((c, line) -> {
                boolean refuse = line.startsWith("MAIL") && afterRset[c.id] && refused.compareAndSet(false, true);
                afterRset[c.id] = line.equals("RSET");
                return refuse ? "503 5.5.1 Error: nested MAIL command" : null;
            });
            List<SendOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
            try (PooledTransport t = new PooledTransport(PooledTransportTest.config(server.port(), null),
                    new PooledTransport.Settings(1, 10_000, Duration.ofSeconds(30), 0, RetryPolicy.NONE, 8),
                    new FakeTicker(), () -> 0.5)) {
                List<OutgoingMessage> messages = IntStream.range(0, 40).mapToObj(PooledTransportTest::message)
                        .toList();
                BulkResult result = t.sendAll(messages.iterator(), outcomes::add);
                assertThat(result.sent()).isEqualTo(40);
                assertThat(server.deliveries()).hasSize(40);
                assertThat(refused.get()).isTrue();
                assertThat(t.pipelinedTransactionsEnabled()).isFalse();
                assertThat(outcomes).allMatch(o -> o instanceof SendOutcome.Sent);
            }
        }
    }
}
