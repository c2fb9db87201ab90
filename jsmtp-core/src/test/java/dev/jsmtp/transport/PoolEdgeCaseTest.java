package dev.jsmtp.transport;

import dev.jsmtp.AccessToken;
import dev.jsmtp.BodyType;
import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;
import dev.jsmtp.BulkResult;
import dev.jsmtp.Credentials;
import dev.jsmtp.OutgoingMessage;
import dev.jsmtp.RetryPolicy;
import dev.jsmtp.SendFuture;
import dev.jsmtp.SendOutcome;
import dev.jsmtp.SendResult;
import dev.jsmtp.TokenProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Edge cases of the pool that issue #7 names: a connection the server closed right after its reply, a cancel
 * racing a pipelined flight, the pool's key ignoring secrets, message limits with pipelined flights, and a
 * pooled flight lost after its ends of data.
 */
class PoolEdgeCaseTest {

    private final FakeTicker ticker = new FakeTicker();

    private static PooledTransport transport(FakeSmtpServer server, Credentials credentials, int maxConnections,
                                             int perConnection, int rate, int window, Ticker ticker) {
        return new PooledTransport(PooledTransportTest.config(server.port(), credentials),
                new PooledTransport.Settings(maxConnections, perConnection, Duration.ofSeconds(30), rate,
                        RetryPolicy.DEFAULTS, window), ticker, () -> 0.5);
    }

    private static List<String> deliveredTo(FakeSmtpServer server) {
        return server.deliveries().stream().map(d -> d.to().get(0)).toList();
    }

    /** How a test's ticker waits; its clock stays the fake one. */
    @FunctionalInterface
    private interface Sleep {
        void sleep(long nanos) throws InterruptedException;
    }

    /** The fake clock with a sleep of the test's own, to hold a sender thread where the test wants it. */
    private Ticker sleepingAs(Sleep sleep) {
        return new Ticker() {
            @Override
            public long nanoTime() {
                return ticker.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                sleep.sleep(nanos);
            }
        };
    }

    @Test
    void aPipelinedMessageCancelledWhileWaitingForTheRateLimitIsNeverSent() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        CountDownLatch wake = new CountDownLatch(1);
        AtomicInteger sleeps = new AtomicInteger();
        Ticker blocking = sleepingAs(nanos -> {
            if (sleeps.incrementAndGet() == 1) {
                sleeping.countDown();
                assertThat(wake.await(10, TimeUnit.SECONDS)).isTrue();
            }
            ticker.sleep(nanos);
        });
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, null, 1, 100, 60, 8, blocking)) {
            t.sendAsync(PooledTransportTest.message(1)).get(10, TimeUnit.SECONDS);
            OutgoingMessage second = PooledTransportTest.message(2);
            SendFuture f = t.sendAsync(second); // waits a second for its slot: the ticker holds it there
            assertThat(sleeping.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(f.cancel(true)).isTrue();
            assertThat(f.outcome()).isEqualTo(new SendOutcome.Cancelled(second, false));
            wake.countDown();
            t.sendAsync(PooledTransportTest.message(3)).get(10, TimeUnit.SECONDS);
            // "Cancelled, nothing delivered" must be true: the server never saw the second message.
            assertThat(deliveredTo(server)).containsExactly("rcpt1@example.org", "rcpt3@example.org");
            assertThat(server.commands()).noneMatch(c -> c.contains("rcpt2@"));
        }
    }

    @Test
    void aRefreshedTokenKeepsUsingThePooledConnection() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        TokenProvider rotating = new TokenProvider() {
            @Override
            public AccessToken token() {
                return AccessToken.of("token-" + issued.incrementAndGet()); // a new value at every call
            }

            @Override
            public void invalidate(AccessToken rejected) {
            }
        };
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, Credentials.oauth2("me@example.org", rotating), 2, 100, 0, 1,
                     ticker)) {
            for (int i = 0; i < 4; i++) {
                t.send(PooledTransportTest.message(i));
            }
            assertThat(server.connections()).isEqualTo(1);
            assertThat(server.commandCount("AUTH")).isEqualTo(1);
            assertThat(server.deliveries()).hasSize(4);
        }
    }

    @Test
    void theEndpointNamesTheIdentityNeverTheSecret() {
        Endpoint a = Endpoint.of(PooledTransportTest.config(25, Credentials.password("me@example.org", "old")));
        Endpoint b = Endpoint.of(PooledTransportTest.config(25, Credentials.password("me@example.org", "new")));
        Endpoint c = Endpoint.of(PooledTransportTest.config(25, Credentials.oauth2("me@example.org",
                TokenProvider.of("secret-token"))));
        Endpoint other = Endpoint.of(PooledTransportTest.config(25, Credentials.password("you@example.org", "old")));
        assertThat(a).isEqualTo(b).isEqualTo(c).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(other);
        assertThat(a.toString()).doesNotContain("old").doesNotContain("secret-token");
    }

    @Test
    void pipelinedFlightsKeepTheMessagesPerConnectionLimit() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, null, 2, 5, 0, 8, ticker)) {
            BulkResult result = t.sendAll(IntStream.range(0, 40).mapToObj(PooledTransportTest::message).iterator(),
                    o -> { });
            assertThat(result.sent()).isEqualTo(40);
            assertThat(server.deliveries().stream().collect(Collectors.groupingBy(FakeSmtpServer.Delivery::connection,
                    Collectors.counting())).values()).allMatch(n -> n <= 5);
            assertThat(server.connections()).isGreaterThanOrEqualTo(8);
            assertThat(server.maxConcurrentConnections()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void aPooledFlightLostAfterItsEndsOfDataIsAmbiguousAndNeverResent() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern()) {
            CountDownLatch hold = new CountDownLatch(1);
            AtomicInteger eods = new AtomicInteger();
            server.hook((c, line) -> {
                if (line.startsWith("EHLO") && c.id == 1) {
                    try {
                        hold.await(10, TimeUnit.SECONDS); // until all three are queued: they share one flight
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                // The last end of data goes unanswered; closing only then leaves no unread bytes (no RST).
                return line.equals("<eod>") && eods.incrementAndGet() == 3 ? "!close" : null;
            });
            List<SendOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
            try (PooledTransport t = transport(server, null, 1, 100, 0, 8, ticker)) {
                List<SendFuture> futures = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    futures.add(t.sendAsync(PooledTransportTest.message(i)));
                }
                hold.countDown();
                for (SendFuture f : futures) {
                    outcomes.add(f.outcome());
                }
            }
            assertThat(server.commandCount("RSET")).isEqualTo(2); // the three shared one flight
            assertThat(outcomes.subList(0, 2)).allMatch(o -> o instanceof SendOutcome.Sent);
            assertThat(outcomes.get(2)).isInstanceOf(SendOutcome.Ambiguous.class);
            // Never resent: one MAIL for each message, on one connection, and no backoff was waited for.
            assertThat(server.commandCount("MAIL")).isEqualTo(3);
            assertThat(server.connections()).isEqualTo(1);
            assertThat(ticker.sleeps()).isEmpty();
        }
    }

    @Test
    void aReusedConnectionLostBeforeTheFirstReplyIsReplacedWhenTheFlightHoldsNoEndOfData() throws Exception {
        // PIPELINING without CHUNKING: MAIL, RCPT and DATA share the first flight, the content waits for 354.
        try (FakeSmtpServer server = new FakeSmtpServer(java.util.List.of("PIPELINING", "8BITMIME"), true);
             PooledTransport t = transport(server, null, 1, 100, 0, 1, ticker)) {
            t.send(PooledTransportTest.message(1));
            server.hook((c, line) -> line.startsWith("MAIL") && c.id == 1 ? "!close" : null);
            SendResult r = t.send(PooledTransportTest.message(2)); // reused at once: no probe, the flight meets the drop
            assertThat(r.finalReply().code()).isEqualTo(250);
            assertThat(server.connections()).isEqualTo(2);
            assertThat(deliveredTo(server)).containsExactly("rcpt1@example.org", "rcpt2@example.org");
            assertThat(t.retries()).isZero();
        }
    }

    @Test
    void closingTheClientEndsARetryWaitingOutItsBackoff() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        Ticker blocking = sleepingAs(nanos -> {
            sleeping.countDown();
            new CountDownLatch(1).await(30, TimeUnit.SECONDS); // a long backoff, cut short only by close()
        });
        try (FakeSmtpServer server = FakeSmtpServer.modern()) {
            server.hook((c, line) -> line.startsWith("MAIL") ? "451 4.3.0 try later" : null);
            PooledTransport t = transport(server, null, 1, 100, 0, 1, blocking);
            SendFuture f = t.sendAsync(PooledTransportTest.message(1));
            assertThat(sleeping.await(10, TimeUnit.SECONDS)).isTrue();
            t.close(Duration.ofSeconds(5));
            SendOutcome outcome = f.outcome(); // at once, not after the 30 s backoff
            assertThat(outcome).isInstanceOf(SendOutcome.Failed.class);
            assertThat(((SendOutcome.Failed) outcome).error()).hasMessageContaining("451");
            assertThat(server.commandCount("MAIL")).isEqualTo(1);
        }
    }

    @Test
    void anExpiredConnectionKeepsItsSlotUntilItsQuitIsAnswered() throws Exception {
        CountDownLatch quitIn = new CountDownLatch(1);
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, null, 1, 100, 0, 1, ticker)) {
            server.hook((c, line) -> {
                if (line.equals("QUIT") && c.id == 1) {
                    quitIn.countDown();
                    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                    while (server.commandCount("EHLO") < 2 && System.nanoTime() < end) {
                        Thread.onSpinWait(); // a pool over its limit opens the second connection meanwhile
                    }
                }
                return null;
            });
            t.send(PooledTransportTest.message(1));
            ticker.advance(Duration.ofSeconds(30));
            Thread reaper = new Thread(t::evictIdle); // as the idle reaper does
            reaper.start();
            assertThat(quitIn.await(10, TimeUnit.SECONDS)).isTrue();
            t.send(PooledTransportTest.message(2)); // must wait for the slot the QUIT still holds
            reaper.join(10_000);
            assertThat(server.connections()).isEqualTo(2);
            assertThat(server.maxConcurrentConnections()).isEqualTo(1);
        }
    }

    @Test
    void aRateLimitedClientSendsPipelinedMessagesNoEarlierAndNoCloserThanTheRate() throws Exception {
        List<Long> endsOfData = Collections.synchronizedList(new ArrayList<>());
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, null, 1, 1000, 30, 8, ticker)) {
            server.hook((c, line) -> {
                if (line.equals("<eod>")) {
                    endsOfData.add(ticker.nanoTime());
                }
                return null;
            });
            BulkResult result = t.sendAll(IntStream.range(0, 40).mapToObj(PooledTransportTest::message).iterator(),
                    o -> { });
            assertThat(result.sent()).isEqualTo(40);
            // 30 a minute: every message at least 2 s after the one before, on the injected clock. Messages held
            // back for a shared flight would arrive together, and a minute would hold more than 31.
            for (int i = 1; i < endsOfData.size(); i++) {
                assertThat(endsOfData.get(i) - endsOfData.get(i - 1)).as("gap before message " + i)
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(2).toNanos());
            }
        }
    }

    @Test
    void cancellingAMessageOfAFlightBeforeItsOwnEndOfDataIsNotAmbiguous() throws Exception {
        CountDownLatch queued = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        byte[] bytes = "To: rcpt2@example.org\r\nSubject: 2\r\n\r\nbody 2\r\n".getBytes(StandardCharsets.US_ASCII);
        MessageContent slow = new MessageContent() {
            @Override
            public void writeTo(OutputStream out) throws IOException {
                writing.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS); // the first message's BDAT LAST is already buffered
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                out.write(bytes);
            }

            @Override
            public OptionalLong size() {
                return OptionalLong.of(bytes.length);
            }

            @Override
            public BodyType bodyType() {
                return BodyType.SEVEN_BIT;
            }

            @Override
            public boolean requiresSmtpUtf8() {
                return false;
            }
        };
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, null, 1, 100, 0, 8, ticker)) {
            server.hook((c, line) -> {
                if (line.startsWith("EHLO")) {
                    try {
                        queued.await(10, TimeUnit.SECONDS); // both messages queued: they share one flight
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return null;
            });
            SendFuture first = t.sendAsync(PooledTransportTest.message(1));
            OutgoingMessage second = new OutgoingMessage(Envelope.of("sender@example.org", "rcpt2@example.org"),
                    slow);
            SendFuture f = t.sendAsync(second);
            queued.countDown();
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            f.cancel(true);
            release.countDown();
            // The flight had written the first message's end of data, not this one's.
            assertThat(f.outcome()).isEqualTo(new SendOutcome.Cancelled(second, false));
            assertThat(first.outcome()).isNotInstanceOf(SendOutcome.Sent.class); // its connection was closed
            assertThat(server.deliveries()).isEmpty();
        }
    }

    @Test
    void aFlightOfTransientFailuresWaitsOneBackoffAndEveryMessageIsRetriedWithinItsDeadline() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern()) {
            CountDownLatch queued = new CountDownLatch(1);
            java.util.Set<String> refusedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
            server.hook((c, line) -> {
                if (line.startsWith("EHLO") && c.id == 1) {
                    try {
                        queued.await(10, TimeUnit.SECONDS); // all four queued: they share one flight
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return line.startsWith("RCPT") && refusedOnce.add(line) ? "451 4.7.1 greylisted, try again" : null;
            });
            try (PooledTransport t = new PooledTransport(PooledTransportTest.config(server.port(), null),
                    new PooledTransport.Settings(1, 100, Duration.ofSeconds(30), 0, new RetryPolicy(2,
                            Duration.ofSeconds(2), 2, Duration.ofMinutes(1), 0, Duration.ofSeconds(3)), 8),
                    ticker, () -> 0.5)) {
                List<SendFuture> futures = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    futures.add(t.sendAsync(PooledTransportTest.message(i)));
                }
                queued.countDown();
                for (SendFuture f : futures) {
                    assertThat(f.outcome()).isInstanceOf(SendOutcome.Sent.class);
                }
                assertThat(t.retries()).isEqualTo(4);
            }
            // One 2 s wait for the flight: four in a row would have put the last retries past the 3 s deadline.
            assertThat(ticker.sleeps()).containsExactly(Duration.ofSeconds(2).toNanos());
            assertThat(server.deliveries()).hasSize(4);
        }
    }

    @Test
    void manyThreadsSendingThroughSharedFlightsNeverMixTransactions() throws Exception {
        try (FakeSmtpServer server = FakeSmtpServer.modern();
             PooledTransport t = transport(server, null, 2, 1000, 0, 8, ticker)) {
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int th = 0; th < 8; th++) {
                int base = th * 25;
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = base; i < base + 25; i++) {
                            SendResult r = t.send(PooledTransportTest.message(i));
                            // Each caller gets the result of its own message, not a neighbour's in the flight.
                            assertThat(r.recipients().get(0).forwardPath().toString())
                                    .isEqualTo("rcpt" + i + "@example.org");
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                thread.start();
                threads.add(thread);
            }
            start.countDown();
            for (Thread thread : threads) {
                thread.join(30_000);
            }
            assertThat(errors).isEmpty();
            assertThat(server.commandCount("RSET")).isPositive(); // transactions did share flights
            assertThat(server.maxConcurrentConnections()).isLessThanOrEqualTo(2);
            assertThat(server.deliveries()).hasSize(200);
            for (FakeSmtpServer.Delivery d : server.deliveries()) {
                assertThat(d.to()).hasSize(1);
                assertThat(d.text()).startsWith("To: " + d.to().get(0) + "\r\n");
            }
        }
    }
}
