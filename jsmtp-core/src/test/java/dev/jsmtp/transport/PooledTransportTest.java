package dev.jsmtp.transport;

import dev.jsmtp.AccessToken;
import dev.jsmtp.BulkResult;
import dev.jsmtp.Credentials;
import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;
import dev.jsmtp.OutgoingMessage;
import dev.jsmtp.RetryPolicy;
import dev.jsmtp.SendFuture;
import dev.jsmtp.SendOutcome;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpAuthenticationException;
import dev.jsmtp.SmtpRejectedException;
import dev.jsmtp.Timeouts;
import dev.jsmtp.TlsMode;
import dev.jsmtp.TokenProvider;
import dev.jsmtp.TranscriptListener;
import dev.jsmtp.session.SessionConfig;
import dev.jsmtp.tls.TlsSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pooled transport against a live loopback server: reuse, limits, staleness, retries, cancellation. */
class PooledTransportTest {

    private final FakeTicker ticker = new FakeTicker();

    static SessionConfig config(int port, Credentials credentials) {
        return new SessionConfig("127.0.0.1", port, TlsMode.NONE, TlsSettings.builder().build(),
                Optional.ofNullable(credentials), Optional.empty(), true, false, Optional.of("client.example"),
                Timeouts.all(Duration.ofSeconds(10)), TranscriptListener.NONE, false, false, true, true);
    }

    private PooledTransport transport(FakeSmtpServer server, int maxConnections, int perConnection,
                                      RetryPolicy retry, int rate) {
        return new PooledTransport(config(server.port(), null), new PooledTransport.Settings(maxConnections,
                perConnection, Duration.ofSeconds(30), rate, retry, 1), ticker, () -> 0.5);
    }

    static OutgoingMessage message(int i) {
        return new OutgoingMessage(Envelope.of("sender@example.org", "rcpt" + i + "@example.org"),
                MessageContent.of("To: rcpt" + i + "@example.org\r\nSubject: " + i + "\r\n\r\nbody " + i + "\r\n"));
    }

    @Test
    void reusesOneConnectionForSequentialSends() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, 4, 100, RetryPolicy.NONE, 0)) {
            for (int i = 0; i < 5; i++) {
                SendResult r = t.send(message(i));
                assertThat(r.finalReply().code()).isEqualTo(250);
            }
            assertThat(server.connections()).isEqualTo(1);
            assertThat(server.deliveries()).extracting(FakeSmtpServer.Delivery::connection).containsOnly(1);
            assertThat(t.idleConnections()).isEqualTo(1);
        }
    }

    @Test
    void manyThreadsNeverExceedTheLimitNorMixTransactions() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, 3, 1000, RetryPolicy.NONE, 0)) {
            int n = 60;
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < n; i++) {
                int k = i;
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                        t.send(message(k));
                    } catch (Exception e) {
                        errors.add(e);
                    }
                });
                th.start();
                threads.add(th);
            }
            start.countDown();
            for (Thread th : threads) {
                th.join(30_000);
            }
            assertThat(errors).isEmpty();
            assertThat(server.maxConcurrentConnections()).isLessThanOrEqualTo(3);
            assertThat(server.deliveries()).hasSize(n);
            for (FakeSmtpServer.Delivery d : server.deliveries()) {
                // Each message's data must belong to its own RCPT: no transaction interleaved with another.
                assertThat(d.to()).hasSize(1);
                assertThat(d.text()).startsWith("To: " + d.to().get(0) + "\r\n");
            }
        }
    }

    @Test
    void replacesAConnectionAfterItsMessageLimitWithQuit() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, 1, 2, RetryPolicy.NONE, 0)) {
            for (int i = 0; i < 5; i++) {
                t.send(message(i));
            }
            assertThat(server.connections()).isEqualTo(3);
            assertThat(server.quits()).isEqualTo(2);
            assertThat(server.deliveries()).extracting(FakeSmtpServer.Delivery::connection)
                    .containsExactly(1, 1, 2, 2, 3);
        }
    }

    @Test
    void closesIdleConnectionsAfterTheIdleTimeout() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, 2, 100, RetryPolicy.NONE, 0)) {
            t.send(message(1));
            ticker.advance(Duration.ofSeconds(29));
            t.evictIdle();
            assertThat(t.idleConnections()).isEqualTo(1);
            ticker.advance(Duration.ofSeconds(1));
            t.evictIdle();
            assertThat(t.idleConnections()).isZero();
            assertThat(server.quits()).isEqualTo(1);
            t.send(message(2));
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void replacesAConnectionWhoseServerSent421WhileIdleWithoutARoundTrip() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, 1, 100, RetryPolicy.NONE, 0)) {
            server.hook((c, line) -> line.equals("<eod>") && c.id == 1
                    ? "250 2.0.0 queued\r\n421 4.4.2 idle too long, closing" : null);
            t.send(message(1)); // the 421 arrives in the same write as the 250: it waits in the client's buffer
            t.send(message(2));
            assertThat(server.connections()).isEqualTo(2);
            // The stale connection got no command at all: it was detected from the bytes already waiting.
            assertThat(server.commandCount("MAIL")).isEqualTo(2);
            assertThat(t.retries()).isZero();
        }
    }

    @Test
    void probesForEndOfStreamAfterIdlingAndReplacesADroppedConnection() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, 1, 100, RetryPolicy.NONE, 0)) {
            t.send(message(1));
            server.dropAllConnections();
            Thread.sleep(50); // loopback delivery of the FIN; no logic of the pool depends on real time
            ticker.advance(Duration.ofSeconds(1));
            SendResult r = t.send(message(2));
            assertThat(r.finalReply().code()).isEqualTo(250);
            assertThat(server.connections()).isEqualTo(2);
            assertThat(server.commandCount("MAIL")).isEqualTo(2);
        }
    }

    @Test
    void retriesOnceTransparentlyWhenAReusedConnectionFailsBeforeAnyReply() throws Exception {
        // Lock-step server: MAIL alone in its flight, so a drop before its reply commits nothing.
        try (FakeSmtpServer server = FakeSmtpServer.lockStep();
             PooledTransport t = transport(server, 1, 100, RetryPolicy.NONE, 0)) {
            t.send(message(1));
            server.hook((c, line) -> line.startsWith("MAIL") && c.id == 1 ? "!close" : null);
            SendResult r = t.send(message(2)); // reused within 100 ms: no probe, the MAIL meets the drop
            assertThat(r.finalReply().code()).isEqualTo(250);
            assertThat(server.connections()).isEqualTo(2);
            assertThat(server.deliveries()).hasSize(2);
            assertThat(t.retries()).isZero();
        }
    }

    @Test
    void closeSendsQuitOnEveryIdleConnection() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern()) {
            PooledTransport t = transport(server, 3, 100, RetryPolicy.NONE, 0);
            List<SendFuture> futures = IntStream.range(0, 12).mapToObj(i -> t.sendAsync(message(i))).toList();
            for (SendFuture f : futures) {
                f.get(20, TimeUnit.SECONDS);
            }
            int open = t.openConnections();
            assertThat(open).isBetween(1, 3);
            t.close(Duration.ofSeconds(5));
            assertThat(server.quits()).isEqualTo(open);
            assertThat(t.openConnections()).isZero();
            assertThatThrownBy(() -> t.sendAsync(message(99)).get()).isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void rateLimitSpacesMessagesOnTheInjectedClock() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, 1, 100, RetryPolicy.NONE, 30)) {
            long start = ticker.nanoTime();
            for (int i = 0; i < 4; i++) {
                t.send(message(i));
            }
            // 30 a minute: one every 2 s; the first leaves at once.
            assertThat(ticker.nanoTime() - start).isEqualTo(Duration.ofSeconds(6).toNanos());
            assertThat(server.deliveries()).hasSize(4);
        }
    }

    @Test
    void retriesTransientRefusalsWithBackoff() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, 1, 100, new RetryPolicy(3, Duration.ofSeconds(2), 2,
                     Duration.ofMinutes(1), 0.2, Duration.ofMinutes(2)), 0)) {
            int[] mails = {0};
            server.hook((c, line) -> line.startsWith("MAIL") && mails[0]++ < 2 ? "451 4.3.0 try later" : null);
            SendResult r = t.send(message(1));
            assertThat(r.finalReply().code()).isEqualTo(250);
            assertThat(server.commandCount("MAIL")).isEqualTo(3);
            assertThat(t.retries()).isEqualTo(2);
            // 2 s then 4 s, each less half the 20 % jitter (random fixed at 0.5).
            assertThat(ticker.sleeps()).containsExactly(Duration.ofMillis(1800).toNanos(),
                    Duration.ofMillis(3600).toNanos());
        }
    }

    @Test
    void neverRetriesPermanentRefusals() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, 1, 100, RetryPolicy.DEFAULTS, 0)) {
            server.hook((c, line) -> line.startsWith("MAIL") ? "550 5.7.1 sender refused" : null);
            assertThatThrownBy(() -> t.send(message(1))).isInstanceOf(SmtpRejectedException.class)
                    .hasMessageContaining("550 5.7.1");
            assertThat(server.commandCount("MAIL")).isEqualTo(1);
            assertThat(ticker.sleeps()).isEmpty();
        }
    }

    @Test
    void neverResendsAfterAnAmbiguousLoss() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, 1, 100, RetryPolicy.DEFAULTS, 0)) {
            server.hook((c, line) -> line.equals("<eod>") ? "!close" : null);
            SendOutcome outcome = t.sendAsync(message(1)).outcome();
            assertThat(outcome).isInstanceOf(SendOutcome.Ambiguous.class);
            assertThat(((SendOutcome.Ambiguous) outcome).error().isAmbiguous()).isTrue();
            assertThat(server.commandCount("MAIL")).isEqualTo(1);
            assertThat(server.connections()).isEqualTo(1);
            assertThat(ticker.sleeps()).isEmpty();
        }
    }

    @Test
    void refreshesARejectedOAuth2TokenOnceOnANewConnection() throws Exception {
        List<AccessToken> invalidated = Collections.synchronizedList(new ArrayList<>());
        AccessToken old = AccessToken.of("old-token");
        AccessToken fresh = AccessToken.of("fresh-token");
        TokenProvider provider = new TokenProvider() {
            @Override
            public AccessToken token() {
                return invalidated.isEmpty() ? old : fresh;
            }

            @Override
            public void invalidate(AccessToken rejected) {
                invalidated.add(rejected);
            }
        };
        try (FakeSmtpServer server = FakeSmtpServer.modern()) {
            server.hook((c, line) -> line.startsWith("AUTH") && "old-token".equals(c.lastToken)
                    ? "535 5.7.8 Username and Password not accepted" : null);
            PooledTransport t = new PooledTransport(config(server.port(), Credentials.oauth2("me@example.org",
                    provider)), new PooledTransport.Settings(1, 100, Duration.ofSeconds(30), 0, RetryPolicy.NONE, 1),
                    ticker, () -> 0.5);
            SendResult r = t.send(message(1));
            assertThat(r.finalReply().code()).isEqualTo(250);
            assertThat(invalidated).containsExactly(old);
            assertThat(server.connections()).isEqualTo(2);
            t.close();
        }
    }

    @Test
    void refreshesTheTokenOnlyOnce() throws Exception {
        List<AccessToken> invalidated = Collections.synchronizedList(new ArrayList<>());
        TokenProvider provider = new TokenProvider() {
            @Override
            public AccessToken token() {
                return AccessToken.of("token-" + invalidated.size());
            }

            @Override
            public void invalidate(AccessToken rejected) {
                invalidated.add(rejected);
            }
        };
        try (FakeSmtpServer server = FakeSmtpServer.modern()) {
            server.hook((c, line) -> line.startsWith("AUTH") ? "535 5.7.8 not accepted" : null);
            PooledTransport t = new PooledTransport(config(server.port(), Credentials.oauth2("me@example.org",
                    provider)), new PooledTransport.Settings(1, 100, Duration.ofSeconds(30), 0, RetryPolicy.DEFAULTS,
                    1), ticker, () -> 0.5);
            assertThatThrownBy(() -> t.send(message(1))).isInstanceOf(SmtpAuthenticationException.class);
            assertThat(invalidated).extracting(AccessToken::value).containsExactly("token-0");
            assertThat(server.commandCount("AUTH")).isEqualTo(2);
            t.close();
        }
    }

    @Test
    void aFixedTokenTheServerRefusedIsNotTriedAgain() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern()) {
            server.hook((c, line) -> line.startsWith("AUTH") ? "535 5.7.8 not accepted" : null);
            PooledTransport t = new PooledTransport(config(server.port(), Credentials.oauth2("me@example.org",
                    TokenProvider.of("the-only-token"))), new PooledTransport.Settings(1, 100, Duration.ofSeconds(30),
                    0, RetryPolicy.DEFAULTS, 1), ticker, () -> 0.5);
            assertThatThrownBy(() -> t.send(message(1))).isInstanceOf(SmtpAuthenticationException.class);
            // One failed login on the account's record, not two with the same token.
            assertThat(server.commandCount("AUTH")).isEqualTo(1);
            assertThat(server.connections()).isEqualTo(1);
            t.close();
        }
    }

    @Test
    void cancellingAfterTheEndOfDataClosesTheSocketAndIsAmbiguous() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, 1, 100, RetryPolicy.DEFAULTS, 0)) {
            CountDownLatch dataIn = new CountDownLatch(1);
            server.hook((c, line) -> {
                if (line.equals("<eod>")) {
                    dataIn.countDown();
                    return "!stall";
                }
                return null;
            });
            OutgoingMessage m = message(1);
            SendFuture f = t.sendAsync(m);
            assertThat(dataIn.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(f.cancel(true)).isTrue();
            SendOutcome outcome = f.outcome();
            assertThat(outcome).isEqualTo(new SendOutcome.Cancelled(m, true));
            awaitClientClose(server, 1);
            assertThat(server.commandCount("MAIL")).isEqualTo(1); // and never retried
        }
    }

    @Test
    void cancellingBeforeTheEndOfDataIsNotAmbiguous() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.lockStep();
             PooledTransport t = transport(server, 1, 100, RetryPolicy.DEFAULTS, 0)) {
            CountDownLatch mailIn = new CountDownLatch(1);
            server.hook((c, line) -> {
                if (line.startsWith("MAIL")) {
                    mailIn.countDown();
                    return "!stall";
                }
                return null;
            });
            OutgoingMessage m = message(1);
            SendFuture f = t.sendAsync(m);
            assertThat(mailIn.await(10, TimeUnit.SECONDS)).isTrue();
            f.cancel(true);
            assertThat(f.outcome()).isEqualTo(new SendOutcome.Cancelled(m, false));
            assertThat(f.cancelledAfterEndOfData()).isFalse();
            awaitClientClose(server, 1);
        }
    }

    @Test
    void interruptingASynchronousSendClosesItsConnection() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.lockStep();
             PooledTransport t = transport(server, 1, 100, RetryPolicy.NONE, 0)) {
            CountDownLatch mailIn = new CountDownLatch(1);
            server.hook((c, line) -> {
                if (line.startsWith("MAIL")) {
                    mailIn.countDown();
                    return "!stall";
                }
                return null;
            });
            Throwable[] thrown = new Throwable[1];
            Thread sender = new Thread(() -> {
                try {
                    t.send(message(1));
                } catch (IOException e) {
                    thrown[0] = e;
                }
            });
            sender.start();
            assertThat(mailIn.await(10, TimeUnit.SECONDS)).isTrue();
            sender.interrupt();
            sender.join(10_000);
            assertThat(thrown[0]).isInstanceOf(java.io.InterruptedIOException.class)
                    .hasMessageContaining("nothing was delivered");
            awaitClientClose(server, 1);
        }
    }

    @Test
    void bulkSendingHoldsABoundedWindowAndReportsEveryOutcome() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, 2, 1000, RetryPolicy.NONE, 0)) {
            server.hook((c, line) -> line.equals("RCPT TO:<rcpt7@example.org>") ? "550 5.1.1 no such user" : null);
            int total = 300;
            int[] taken = {0};
            int[] maxAhead = {0};
            List<SendOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
            java.util.Iterator<OutgoingMessage> source = new java.util.Iterator<>() {
                @Override
                public boolean hasNext() {
                    return taken[0] < total;
                }

                @Override
                public OutgoingMessage next() {
                    synchronized (outcomes) {
                        maxAhead[0] = Math.max(maxAhead[0], taken[0] - outcomes.size());
                    }
                    return message(taken[0]++);
                }
            };
            BulkResult result = t.sendAll(source, outcomes::add);
            assertThat(result).isEqualTo(new BulkResult(total - 1, 1, 0, 0));
            assertThat(outcomes).hasSize(total);
            assertThat(maxAhead[0]).isLessThanOrEqualTo(t.bulkWindow());
            assertThat(server.deliveries()).hasSize(total - 1);
            assertThat(outcomes.stream().filter(o -> o instanceof SendOutcome.Failed)
                    .map(o -> o.message().envelope().forwardPaths().get(0).toString()))
                    .containsExactly("rcpt7@example.org");
        }
    }

    @Test
    void retriesAConnectionLostBeforeTheTransactionBegan() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, 1, 100, RetryPolicy.exponential(3, Duration.ofSeconds(1),
                     Duration.ofMinutes(1)), 0)) {
            server.hook((c, line) -> line.startsWith("EHLO") && c.id == 1 ? "!close" : null);
            SendResult r = t.send(message(1));
            assertThat(r.finalReply().code()).isEqualTo(250);
            assertThat(server.connections()).isEqualTo(2);
            assertThat(t.retries()).isEqualTo(1);
        }
    }

    @Test
    void givesUpWhenTheNextAttemptWouldPassTheDeadline() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, 1, 100, new RetryPolicy(10, Duration.ofSeconds(4), 2,
                     Duration.ofMinutes(1), 0, Duration.ofSeconds(10)), 0)) {
            server.hook((c, line) -> line.startsWith("MAIL") ? "452 4.3.1 insufficient system storage" : null);
            assertThatThrownBy(() -> t.send(message(1))).isInstanceOf(SmtpRejectedException.class)
                    .hasMessageContaining("452");
            // Attempts at 0 s and 4 s; the next would start at 12 s, past the 10 s deadline.
            assertThat(server.commandCount("MAIL")).isEqualTo(2);
            assertThat(ticker.sleeps()).containsExactly(Duration.ofSeconds(4).toNanos());
        }
    }

    @Test
    void interruptingABulkJobCancelsWhatIsInFlight() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, 2, 100, RetryPolicy.DEFAULTS, 0)) {
            CountDownLatch twoStalled = new CountDownLatch(2);
            java.util.concurrent.atomic.AtomicInteger dataReceived = new java.util.concurrent.atomic.AtomicInteger();
            server.hook((c, line) -> {
                if (line.equals("<eod>")) {
                    dataReceived.incrementAndGet();
                    twoStalled.countDown();
                    return "!stall";
                }
                return null;
            });
            List<SendOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
            Throwable[] thrown = new Throwable[1];
            Thread job = new Thread(() -> {
                try {
                    t.sendAll(IntStream.range(0, 1000).mapToObj(PooledTransportTest::message).iterator(),
                            outcomes::add);
                } catch (InterruptedException e) {
                    thrown[0] = e;
                }
            });
            job.start();
            assertThat(twoStalled.await(10, TimeUnit.SECONDS)).isTrue();
            job.interrupt();
            job.join(10_000);
            assertThat(thrown[0]).isInstanceOf(InterruptedException.class);
            // Only the bounded window was ever taken from the iterator, and all of it was cancelled.
            assertThat(outcomes).hasSizeLessThanOrEqualTo(t.bulkWindow()).isNotEmpty()
                    .allMatch(o -> o instanceof SendOutcome.Cancelled);
            // The two stalled connections were closed by the cancel (a third, opened for a message cancelled
            // while it connected, may rightly stay in the pool).
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.closedByClient() < 2 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertThat(server.closedByClient()).isGreaterThanOrEqualTo(2);
            // A sender freed by a cancel may start the next queued message before that one is cancelled too, so
            // more than the two stalled may have sent their data; every message whose data the server has must
            // be reported as cancelled after the end of data.
            long afterEnd = outcomes.stream().filter(o -> ((SendOutcome.Cancelled) o).afterEndOfData()).count();
            assertThat(afterEnd).isGreaterThanOrEqualTo(2).isGreaterThanOrEqualTo(dataReceived.get());
            assertThat(server.deliveries()).isEmpty();
        }
    }

    @Test
    void closeGivesUpOnAServerThatNeverAnswersQuitAtTheDeadline() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern()) {
            server.hook((c, line) -> line.equals("QUIT") ? "!stall" : null);
            PooledTransport t = transport(server, 1, 100, RetryPolicy.NONE, 0);
            t.send(message(1));
            long start = System.nanoTime();
            t.close(Duration.ofMillis(300));
            // The QUIT timeout is 10 s; the close deadline cuts it short and the socket is closed anyway.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            awaitClientClose(server, 1);
            assertThat(server.commandCount("QUIT")).isEqualTo(1);
        }
    }

    private static void awaitClientClose(FakeSmtpServer server, int count) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.closedByClient() < count && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(server.closedByClient()).as("connections closed by the client").isEqualTo(count);
    }
}
