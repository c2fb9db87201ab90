package dev.jsmtp.transport;

import dev.jsmtp.BulkResult;
import dev.jsmtp.Credentials;
import dev.jsmtp.OutgoingMessage;
import dev.jsmtp.RetryPolicy;
import dev.jsmtp.SendFuture;
import dev.jsmtp.SendOutcome;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpAuthenticationException;
import dev.jsmtp.SmtpConnection;
import dev.jsmtp.SmtpConnectionException;
import dev.jsmtp.SmtpException;
import dev.jsmtp.TranscriptListener;
import dev.jsmtp.session.PipelinedBatch;
import dev.jsmtp.session.Session;
import dev.jsmtp.session.SessionConfig;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Sends messages over a pool of SMTP sessions (RFC 5321) to one endpoint, from any number of threads: queued
 * messages are taken by at most {@code maxConnections} sender threads, each owning one session while it sends.
 * Here live every decision to reconnect, retry or refresh a token, so that no two layers ever retry the same
 * failure: a reused session that fails before any reply is replaced once, transparently; an OAuth2 token the
 * server refused is invalidated once; transient failures follow the {@link RetryPolicy}; ambiguous ones never
 * repeat.
 */
public final class PooledTransport implements AutoCloseable {

    /** How the pool, rate limit, retries and pipelining are set. */
    public record Settings(int maxConnections, int maxMessagesPerConnection, Duration idleTimeout,
                           int ratePerMinute, RetryPolicy retryPolicy, int pipelinedWindow) {
        public Settings {
            if (maxConnections < 1 || maxMessagesPerConnection < 1 || pipelinedWindow < 1 || ratePerMinute < 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idle timeout must be positive");
            }
            java.util.Objects.requireNonNull(retryPolicy);
        }
    }

    private final SessionConfig config;
    private final Settings settings;
    private final Ticker ticker;
    private final DoubleSupplier random;
    private final ConnectionPool pool;
    private final RateLimiter rateLimiter;
    private final TokenTracker tokens;
    private final AtomicBoolean pipelinedTransactions;
    private final LinkedBlockingDeque<SendJob> queue = new LinkedBlockingDeque<>();
    private final ExecutorService senders;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong clientTurns = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();
    private final java.util.concurrent.ScheduledFuture<?> reaper;
    private int running;
    private boolean closed;
    /** Sender threads waiting out a retry's backoff; close() wakes them. Guarded by itself. */
    private final java.util.Set<Thread> backingOff = new java.util.HashSet<>();

    public PooledTransport(SessionConfig config, Settings settings, Ticker ticker, DoubleSupplier random) {
        Credentials tracked = config.credentials().map(TokenTracker::track).orElse(null);
        this.config = serialisedTranscript(tracked == null ? config : withCredentials(config, tracked));
        this.tokens = tracked instanceof Credentials.OAuth2 o ? (TokenTracker) o.tokens() : null;
        this.settings = settings;
        this.ticker = ticker;
        this.random = random;
        this.pool = new ConnectionPool(Endpoint.of(config), settings.maxConnections(),
                settings.maxMessagesPerConnection(), settings.idleTimeout(), this::open, ticker);
        this.rateLimiter = settings.ratePerMinute() > 0 ? new RateLimiter(settings.ratePerMinute(), ticker) : null;
        this.pipelinedTransactions = new AtomicBoolean(settings.pipelinedWindow() > 1);
        this.reaper = IdleReaper.watch(pool, settings.idleTimeout());
        AtomicInteger n = new AtomicInteger();
        this.senders = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "jsmtp-sender-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Several sender threads write to the caller's transcript listener; one event at a time keeps a listener
     * that is not thread-safe (a StringBuilder, a PrintStream printing two parts) intact.
     */
    private static SessionConfig serialisedTranscript(SessionConfig c) {
        if (c.transcript() == TranscriptListener.NONE) {
            return c;
        }
        TranscriptListener listener = c.transcript();
        Object lock = new Object();
        TranscriptListener serialised = event -> {
            synchronized (lock) {
                listener.onEvent(event);
            }
        };
        return new SessionConfig(c.host(), c.port(), c.tlsMode(), c.tls(), c.credentials(), c.authMechanism(),
                c.allowCleartextAuthentication(), c.alwaysSendInitialResponse(), c.clientName(), c.timeouts(),
                serialised, c.transcribeContent(), c.allOrNothing(), c.pipelining(), c.chunking());
    }

    private static SessionConfig withCredentials(SessionConfig c, Credentials credentials) {
        return new SessionConfig(c.host(), c.port(), c.tlsMode(), c.tls(), Optional.of(credentials),
                c.authMechanism(), c.allowCleartextAuthentication(), c.alwaysSendInitialResponse(), c.clientName(),
                c.timeouts(), c.transcript(), c.transcribeContent(), c.allOrNothing(), c.pipelining(), c.chunking());
    }

    private Session open() throws IOException {
        Session session = Session.open(config);
        try {
            session.advanceTo(SmtpConnection.Stage.AUTH);
            return session;
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    // ---- the public operations --------------------------------------------------------------------------

    /** Queues one message; the future completes when it is sent or has failed for good. */
    public SendFuture sendAsync(OutgoingMessage message) {
        SendJob job = new SendJob(message);
        synchronized (this) {
            if (closed) {
                job.future.completeExceptionally(new SmtpConnectionException("the client is closed",
                        config.server(), null, false));
                return job.future;
            }
            queue.add(job);
            if (running < settings.maxConnections()) {
                running++;
                senders.execute(this::drain);
            }
        }
        return job.future;
    }

    /** Sends one message and waits; interrupting the wait cancels the send and closes its connection. */
    public SendResult send(OutgoingMessage message) throws IOException {
        SendFuture future = sendAsync(message);
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("send interrupted; the connection was closed"
                    + (future.cancelledAfterEndOfData() ? " after the end of data was sent: the message may or may "
                    + "not have been accepted" : " before the end of data: nothing was delivered"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        } catch (CancellationException e) {
            throw new InterruptedIOException("send cancelled");
        }
    }

    /**
     * Sends every message of {@code messages}, spread over the pool, telling {@code outcomes} (called by one
     * thread at a time, which must not block on this transport) how each ended. At most {@link #bulkWindow()}
     * messages are taken from the iterator ahead of their outcome, so a job of any size holds a bounded number
     * in memory. Interrupting the caller cancels the messages in flight (each reported
     * {@link SendOutcome.Cancelled}) and rethrows. An exception thrown by {@code outcomes} is rethrown once every
     * message has ended.
     */
    public BulkResult sendAll(Iterator<? extends OutgoingMessage> messages, Consumer<? super SendOutcome> outcomes)
            throws InterruptedException {
        return BulkJob.run(this::sendAsync, bulkWindow(), messages, outcomes);
    }

    /** Messages a bulk job keeps ahead of their outcomes: two full flights for every connection. */
    int bulkWindow() {
        return 2 * settings.maxConnections() * settings.pipelinedWindow();
    }

    /** Transient failures retried so far (transparent replacements of stale sessions not counted). */
    public long retries() {
        return retries.get();
    }

    /**
     * Client turns (flights of commands between two waits for replies) spent on transactions so far, on every
     * connection; divided by {@link #transactions()} it shows the round trips a message costs.
     */
    public long clientTurns() {
        return clientTurns.get();
    }

    /** Transactions attempted so far (each message once per attempt). */
    public long transactions() {
        return transactions.get();
    }

    /** Connections opened so far. */
    public int connectionsOpened() {
        return pool.connectionsOpened();
    }

    /** Connections open now, lent out or idle. */
    public int openConnections() {
        return pool.openCount();
    }

    /** Idle connections kept for reuse now. */
    public int idleConnections() {
        return pool.idleCount();
    }

    /** Closes idle connections past the idle timeout (also done on every send). */
    public void evictIdle() {
        pool.evictIdle();
    }

    /** False once the server refused a pipelined MAIL: transactions then go one at a time. */
    public boolean pipelinedTransactionsEnabled() {
        return pipelinedTransactions.get();
    }

    /** Fails the queued messages, QUITs the idle connections within {@code deadline}, stops the senders. */
    public void close(Duration deadline) {
        List<SendJob> left = new ArrayList<>();
        synchronized (this) {
            closed = true;
            queue.drainTo(left);
        }
        for (SendJob job : left) {
            job.future.completeExceptionally(new SmtpConnectionException("the client was closed before this "
                    + "message was sent", config.server(), null, false));
        }
        synchronized (backingOff) {
            // A retry waiting out its backoff would only find the client closed: it fails now instead.
            backingOff.forEach(Thread::interrupt);
        }
        reaper.cancel(false);
        pool.close(deadline);
        senders.shutdown();
    }

    @Override
    public void close() {
        close(config.timeouts().quit());
    }

    // ---- the sender threads -----------------------------------------------------------------------------

    private void drain() {
        while (true) {
            SendJob first;
            synchronized (this) {
                first = queue.poll();
                if (first == null) {
                    running--;
                    return;
                }
            }
            try {
                process(first);
            } catch (RuntimeException | Error e) {
                first.future.completeExceptionally(e);
            }
        }
    }

    /** Sends {@code first}, with more queued messages in the same flight when pipelined transactions allow. */
    private void process(SendJob first) {
        if (first.future.isDone()) {
            return;
        }
        boolean batchable = pipelinedTransactions.get() && PipelinedBatch.fits(first.message.content());
        if (!batchable) {
            runSingle(first);
            return;
        }
        ConnectionPool.Lease lease;
        try {
            rateLimit();
            first.startAttempt(ticker);
            lease = pool.acquire(false);
        } catch (Exception e) {
            afterFailure(first, e);
            return;
        }
        if (!PipelinedBatch.supported(lease.session)) {
            send(first, lease);
            return;
        }
        if (lease.reused && !lease.probed && lease.session.isStale(true)) {
            // A whole flight written to a connection the server already dropped would come back ambiguous:
            // one millisecond per flight buys certainty.
            pool.discard(lease);
            try {
                lease = pool.acquire(true);
            } catch (Exception e) {
                afterFailure(first, e);
                return;
            }
        }
        int room = Math.min(settings.pipelinedWindow(), settings.maxMessagesPerConnection() - lease.messages);
        List<SendJob> batch = new ArrayList<>();
        batch.add(first);
        List<SendJob> later = new ArrayList<>();
        SendJob next;
        while (batch.size() < room && (next = queue.poll()) != null) {
            if (next.future.isDone()) {
                continue;
            }
            if (!PipelinedBatch.fits(next.message.content())) {
                later.add(next);
                continue;
            }
            if (rateLimiter != null && !rateLimiter.tryAcquire()) {
                // Waiting here for its slot would send it late, in a burst with the rest of the flight, and let
                // a minute hold more than the rate allows: it waits its turn at the head of the queue instead.
                queue.addFirst(next);
                break;
            }
            next.startAttempt(ticker);
            batch.add(next);
        }
        try {
            runBatch(batch, lease);
        } finally {
            later.forEach(this::runSingle);
        }
    }

    private void runBatch(List<SendJob> batch, ConnectionPool.Lease lease) {
        Session session = lease.session;
        // A message cancelled while it waited (for the rate limit, for a connection) must not be written: its
        // caller was told nothing was delivered.
        batch = batch.stream().filter(job -> job.bind(session, true)).toList();
        if (batch.isEmpty()) {
            pool.release(lease);
            return;
        }
        List<PipelinedBatch.Item> items = new ArrayList<>();
        for (SendJob job : batch) {
            items.add(new PipelinedBatch.Item(job.message.envelope(), job.message.content(),
                    job::endOfDataStarting));
        }
        long turnsBefore = session.clientTurns();
        PipelinedBatch.Result result;
        try {
            result = PipelinedBatch.run(session, items);
        } catch (RuntimeException e) {
            // A bug or a refused argument: nothing is known about the flight, so the connection goes.
            batch.forEach(SendJob::unbind);
            pool.discard(lease);
            batch.forEach(job -> job.future.completeExceptionally(e));
            return;
        }
        clientTurns.addAndGet(session.clientTurns() - turnsBefore);
        transactions.addAndGet(batch.size());
        lease.messages += batch.size();
        batch.forEach(SendJob::unbind);
        pool.release(lease);
        if (result.fallBack()) {
            pipelinedTransactions.set(false);
        }
        List<SendJob> retry = new ArrayList<>();
        List<Exception> retryFailures = new ArrayList<>();
        Duration wait = Duration.ZERO;
        double draw = random.getAsDouble(); // one jitter for the flight: its messages failed together
        for (int i = 0; i < batch.size(); i++) {
            SendJob job = batch.get(i);
            PipelinedBatch.Outcome outcome = result.outcomes().get(i);
            if (outcome.result() != null) {
                job.future.complete(outcome.result());
            } else if (outcome.sendAlone()) {
                job.attempts--; // the server never considered it: not an attempt
                runSingle(job);
            } else if (!job.future.isDone() && !job.cancelled) {
                Optional<Duration> delay = nextDelay(job, outcome.failure(), draw);
                if (delay.isEmpty()) {
                    job.future.completeExceptionally(outcome.failure());
                } else {
                    retry.add(job);
                    retryFailures.add(outcome.failure());
                    wait = wait.compareTo(delay.get()) < 0 ? delay.get() : wait;
                }
            }
        }
        if (retry.isEmpty()) {
            return;
        }
        // One backoff for the flight's transient failures, not one after another on this thread (the later ones
        // then missed their deadline); then back to the head of the queue, where they may share a flight again.
        boolean slept = backoff(wait);
        synchronized (this) {
            for (int i = retry.size() - 1; i >= 0; i--) {
                if (slept && !closed) {
                    queue.addFirst(retry.get(i));
                } else {
                    retry.get(i).future.completeExceptionally(retryFailures.get(i));
                }
            }
        }
    }

    /** Sends one message with retries. */
    private void runSingle(SendJob job) {
        if (job.future.isDone()) {
            return;
        }
        ConnectionPool.Lease lease;
        try {
            rateLimit();
            job.startAttempt(ticker);
            lease = pool.acquire(false);
        } catch (Exception e) {
            afterFailure(job, e);
            return;
        }
        send(job, lease);
    }

    private void send(SendJob job, ConnectionPool.Lease lease) {
        try {
            job.future.complete(attempt(job, lease));
        } catch (Exception e) {
            afterFailure(job, e);
        }
    }

    /**
     * One attempt on {@code lease}. A reused session that fails before any reply to this transaction and before
     * the end of data (the server dropped it while idle) is replaced once by a fresh one, transparently.
     */
    private SendResult attempt(SendJob job, ConnectionPool.Lease first) throws IOException, InterruptedException {
        ConnectionPool.Lease lease = first;
        Session session = lease.session;
        long repliesBefore = session.repliesRead();
        try {
            if (!job.bind(session, false)) {
                throw new CancellationException();
            }
            SendResult result = send(session, job);
            lease.messages++;
            return result;
        } catch (SmtpException e) {
            lease.messages++;
            boolean stale = lease.reused && !e.isAmbiguous() && e instanceof SmtpConnectionException
                    && session.repliesRead() == repliesBefore && !job.cancelled && !job.future.isDone();
            if (!stale) {
                throw e;
            }
            job.unbind();
            pool.release(lease);
            lease = null; // released: the finally block must not release it twice
            lease = pool.acquire(true);
            session = lease.session;
            if (!job.bind(session, false)) {
                throw new CancellationException();
            }
            SendResult result = send(session, job);
            lease.messages++;
            return result;
        } finally {
            job.unbind();
            if (lease != null) {
                pool.release(lease);
            }
        }
    }

    private SendResult send(Session session, SendJob job) throws IOException {
        long turnsBefore = session.clientTurns();
        transactions.incrementAndGet();
        try {
            return session.send(job.message.envelope(), job.message.content());
        } finally {
            clientTurns.addAndGet(session.clientTurns() - turnsBefore);
        }
    }

    /** Decides, after a failed attempt, whether to refresh a token, retry after a delay, or give up. */
    private void afterFailure(SendJob job, Exception failure) {
        if (job.future.isDone() || job.cancelled) {
            // A cancel closed the socket and caused this failure; the canceller completes the future itself.
            return;
        }
        Optional<Duration> delay = nextDelay(job, failure, random.getAsDouble());
        if (delay.isEmpty() || !backoff(delay.get())) {
            job.future.completeExceptionally(failure);
            return;
        }
        runSingle(job);
    }

    /** Waits {@code delay}; false when the client was closed before or during the wait. */
    private boolean backoff(Duration delay) {
        if (!enterBackoff()) {
            return false;
        }
        try {
            ticker.sleep(delay.toNanos());
            return true;
        } catch (InterruptedException e) {
            return false;
        } finally {
            leaveBackoff();
        }
    }

    private boolean enterBackoff() {
        synchronized (backingOff) {
            if (isClosed()) {
                return false;
            }
            backingOff.add(Thread.currentThread());
            return true;
        }
    }

    private void leaveBackoff() {
        synchronized (backingOff) {
            backingOff.remove(Thread.currentThread());
            Thread.interrupted(); // a close's wake-up, if it came as the sleep ended, is spent here
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private Optional<Duration> nextDelay(SendJob job, Exception failure, double draw) {
        if (failure instanceof SmtpAuthenticationException auth && auth.freshTokenMayHelp() && tokens != null
                && !job.tokenRefreshed) {
            job.tokenRefreshed = true;
            if (tokens.invalidateLastOnThisThread()) {
                job.attempts--; // the refresh is not a retry
                return Optional.of(Duration.ZERO);
            }
        }
        if (!(failure instanceof SmtpException smtp) || !settings.retryPolicy().retries(smtp) || isClosed()) {
            return Optional.empty();
        }
        Duration elapsed = Duration.ofNanos(ticker.nanoTime() - job.firstAttemptNanos);
        Optional<Duration> delay = settings.retryPolicy().delayBefore(job.attempts + 1, elapsed, draw);
        delay.ifPresent(d -> retries.incrementAndGet());
        return delay;
    }

    private void rateLimit() throws InterruptedException {
        if (rateLimiter != null) {
            rateLimiter.acquire();
        }
    }
}
