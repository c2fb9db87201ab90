package dev.jsmtp.transport;

import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;
import dev.jsmtp.RetryPolicy;
import dev.jsmtp.SendFuture;
import dev.jsmtp.SendOutcome;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpConnection;
import dev.jsmtp.TlsMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The public SmtpClient API over the pool: its builder options reach the transport. */
class SmtpClientPoolingTest {

    private static SmtpClient.Builder client(FakeSmtpServer server) {
        return SmtpClient.builder("127.0.0.1").port(server.port()).tlsMode(TlsMode.NONE)
                .clientName("client.example").timeout(Duration.ofSeconds(10));
    }

    @Test
    void sendsReuseOnePooledConnectionAndCloseQuitsIt() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern()) {
            SmtpClient client = client(server).build();
            for (int i = 0; i < 3; i++) {
                client.send(Envelope.of("a@example.org", "b@example.org"), MessageContent.of("Subject: x\r\n\r\nx\r\n"));
            }
            client.close();
            assertThat(server.connections()).isEqualTo(1);
            assertThat(server.quits()).isEqualTo(1);
            assertThat(server.deliveries()).hasSize(3);
        }
    }

    @Test
    void aConnectionCountsItsClientTurnsOnePerMessageWithPipeliningAndChunking() throws Exception {
        try (FakeSmtpServer modern = FakeSmtpServer.modern(); FakeSmtpServer lockStep = FakeSmtpServer.lockStep();
             SmtpClient toModern = client(modern).build(); SmtpClient toLockStep = client(lockStep).build();
             SmtpConnection pipelined = toModern.connect(SmtpConnection.Stage.AUTH);
             SmtpConnection oneByOne = toLockStep.connect(SmtpConnection.Stage.AUTH)) {
            Envelope envelope = Envelope.of("a@example.org", "b@example.org", "c@example.org");
            MessageContent content = MessageContent.of("Subject: x\r\n\r\nx\r\n");
            long before = pipelined.clientTurns();
            pipelined.send(envelope, content);
            assertThat(pipelined.clientTurns() - before).isEqualTo(1);
            // Without extensions: MAIL, two RCPT, DATA and the content each wait for a reply.
            before = oneByOne.clientTurns();
            oneByOne.send(envelope, content);
            assertThat(oneByOne.clientTurns() - before).isEqualTo(5);
        }
    }

    @Test
    void asyncSendsUseAtMostMaxConnectionsAndEachMessageAtMostItsLimit() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             SmtpClient client = client(server).maxConnections(2).maxMessagesPerConnection(5)
                     .idleTimeout(Duration.ofSeconds(5)).retryPolicy(RetryPolicy.NONE).build()) {
            List<SendFuture> futures = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                futures.add(client.sendAsync(Envelope.of("a@example.org", "r" + i + "@example.org"),
                        MessageContent.of("To: r" + i + "@example.org\r\n\r\nx\r\n")));
            }
            for (SendFuture f : futures) {
                assertThat(f.get(20, TimeUnit.SECONDS).finalReply().code()).isEqualTo(250);
                assertThat(f.outcome()).isInstanceOf(SendOutcome.Sent.class);
            }
            assertThat(server.maxConcurrentConnections()).isLessThanOrEqualTo(2);
            assertThat(server.deliveries().stream().collect(java.util.stream.Collectors.groupingBy(
                    FakeSmtpServer.Delivery::connection, java.util.stream.Collectors.counting())).values())
                    .allMatch(n -> n <= 5);
            assertThat(server.connections()).isGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void aClientLeftAloneQuitsItsIdleConnectionsWhenTheyExpire() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             SmtpClient client = client(server).idleTimeout(Duration.ofMillis(200)).build()) {
            client.send(Envelope.of("a@example.org", "b@example.org"), MessageContent.of("Subject: x\r\n\r\nx\r\n"));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.quits() == 0 && System.nanoTime() < end) {
                Thread.sleep(20); // waiting for the reaper thread, not for time to pass in the pool's logic
            }
            assertThat(server.quits()).isEqualTo(1);
        }
    }

    @Test
    void theTranscriptListenerIsCalledByOneThreadAtATime() throws Exception {
        java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger overlaps = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger events = new java.util.concurrent.atomic.AtomicInteger();
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             SmtpClient client = client(server).maxConnections(4).transcript(event -> {
                 if (inside.incrementAndGet() > 1) {
                     overlaps.incrementAndGet();
                 }
                 events.incrementAndGet();
                 Thread.yield();
                 inside.decrementAndGet();
             }).build()) {
            List<SendFuture> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                futures.add(client.sendAsync(Envelope.of("a@example.org", "r" + i + "@example.org"),
                        MessageContent.of("Subject: " + i + "\r\n\r\nx\r\n")));
            }
            for (SendFuture f : futures) {
                f.get(20, TimeUnit.SECONDS);
            }
            assertThat(server.maxConcurrentConnections()).isGreaterThan(1);
        }
        assertThat(events.get()).isGreaterThan(40 * 4);
        assertThat(overlaps.get()).isZero();
    }
}
