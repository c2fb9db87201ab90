package dev.jsmtp.transport;

import dev.jsmtp.SmtpConnectionException;
import dev.jsmtp.session.Session;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Open SMTP sessions (RFC 5321 §3.8) to one endpoint, kept between messages. A session is owned by one borrower
 * at a time, so two transactions never share a connection. Limits: open connections, messages per connection
 * (providers cap it), idle time (servers drop idle clients, RFC 5321 §4.5.3.2.7 suggests 5 minutes, many use
 * less). Before a session is lent again it is checked without a round trip: bytes already waiting (a 421) or,
 * after {@link #EOF_PROBE_AFTER_IDLE} of idleness, the end of the stream seen by a 1 ms read.
 *
 * <p>Lifecycle: {@link #acquire} → use → {@link #release} (or {@link #discard}); {@link #close} QUITs the idle
 * sessions and makes later releases close theirs.
 */
final class ConnectionPool {

    /** Connections idle for less than this skip the 1 ms end-of-stream probe: servers do not drop them so soon. */
    static final Duration EOF_PROBE_AFTER_IDLE = Duration.ofMillis(100);

    /** Opens a session to the endpoint, authenticated and ready for mail. */
    @FunctionalInterface
    interface Connector {
        Session open() throws IOException;
    }

    /** A session lent to one borrower. */
    static final class Lease {
        final Session session;
        final boolean reused;
        /** True when the end-of-stream probe ran as the session was lent: a reuse that found it sound. */
        final boolean probed;
        int messages;
        long idleSince;

        private Lease(Session session, boolean reused, boolean probed, int messages) {
            this.session = session;
            this.reused = reused;
            this.probed = probed;
            this.messages = messages;
        }
    }

    private final Endpoint endpoint;
    private final int maxConnections;
    private final int maxMessagesPerConnection;
    private final long idleTimeoutNanos;
    private final Connector connector;
    private final Ticker ticker;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition slotFree = lock.newCondition();
    private final Deque<Lease> idle = new ArrayDeque<>();
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    private int open;
    private boolean closed;

    ConnectionPool(Endpoint endpoint, int maxConnections, int maxMessagesPerConnection, Duration idleTimeout,
                   Connector connector, Ticker ticker) {
        if (maxConnections < 1 || maxMessagesPerConnection < 1) {
            throw new IllegalArgumentException("pool limits must be at least 1");
        }
        this.endpoint = endpoint;
        this.maxConnections = maxConnections;
        this.maxMessagesPerConnection = maxMessagesPerConnection;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.connector = connector;
        this.ticker = ticker;
    }

    /**
     * Lends a sound session: the most recently used idle one, else a new one when under the limit, else waits
     * for one to come back. With {@code fresh}, always opens a new one.
     */
    Lease acquire(boolean fresh) throws IOException, InterruptedException {
        while (true) {
            Lease candidate = null;
            List<Lease> expired;
            lock.lockInterruptibly();
            try {
                if (closed) {
                    throw new SmtpConnectionException("the client is closed", endpoint.toString(), null, false);
                }
                expired = takeExpired(ticker.nanoTime());
                if (expired.isEmpty()) {
                    if (!fresh && !idle.isEmpty()) {
                        candidate = idle.pollFirst();
                    } else if (fresh && open >= maxConnections && !idle.isEmpty()) {
                        expired = List.of(idle.pollLast()); // make room for the fresh one
                    } else if (open < maxConnections) {
                        open++;
                    } else {
                        slotFree.await();
                        continue;
                    }
                }
            } finally {
                lock.unlock();
            }
            if (!expired.isEmpty()) {
                quit(expired);
                continue;
            }
            if (candidate != null) {
                long idleNanos = ticker.nanoTime() - candidate.idleSince;
                boolean probe = idleNanos >= EOF_PROBE_AFTER_IDLE.toNanos();
                if (candidate.session.isStale(probe)) {
                    discard(candidate);
                    continue;
                }
                return new Lease(candidate.session, true, probe, candidate.messages);
            }
            try {
                Session session = connector.open();
                connectionsOpened.incrementAndGet();
                return new Lease(session, false, false, 0);
            } catch (IOException | RuntimeException e) {
                freeSlot();
                throw e;
            }
        }
    }

    /** Takes the session back: kept when sound and under its message limit, else closed with QUIT. */
    void release(Lease lease) {
        boolean keep = lease.session.isUsable() && lease.messages < maxMessagesPerConnection;
        List<Lease> expired = List.of();
        lock.lock();
        try {
            if (keep && !closed) {
                lease.idleSince = ticker.nanoTime();
                idle.addFirst(lease);
                expired = takeExpired(lease.idleSince);
                slotFree.signal();
                lease = null;
            }
        } finally {
            lock.unlock();
        }
        quit(expired);
        if (lease != null) {
            lease.session.close();
            freeSlot();
        }
    }

    /** Drops a broken session without QUIT. */
    void discard(Lease lease) {
        lease.session.abort();
        freeSlot();
    }

    /** Closes idle sessions past the idle timeout (QUIT); the pool also does this on every acquire and release. */
    void evictIdle() {
        List<Lease> expired;
        lock.lock();
        try {
            expired = takeExpired(ticker.nanoTime());
        } finally {
            lock.unlock();
        }
        quit(expired);
    }

    private List<Lease> takeExpired(long now) {
        List<Lease> expired = new ArrayList<>();
        for (Iterator<Lease> it = idle.iterator(); it.hasNext(); ) {
            Lease l = it.next();
            if (now - l.idleSince >= idleTimeoutNanos) {
                it.remove();
                expired.add(l);
            }
        }
        return expired;
    }

    /**
     * Closes sessions taken from the idle list with QUIT, freeing each one's slot only once its QUIT is answered:
     * a provider that caps concurrent connections counts the closing one until then.
     */
    private void quit(List<Lease> leases) {
        for (Lease l : leases) {
            try {
                l.session.close();
            } finally {
                freeSlot();
            }
        }
    }

    private void freeSlot() {
        lock.lock();
        try {
            open--;
            slotFree.signal();
        } finally {
            lock.unlock();
        }
    }

    int idleCount() {
        lock.lock();
        try {
            return idle.size();
        } finally {
            lock.unlock();
        }
    }

    int openCount() {
        lock.lock();
        try {
            return open;
        } finally {
            lock.unlock();
        }
    }

    /** Connections opened since the pool was made. */
    int connectionsOpened() {
        return connectionsOpened.get();
    }

    /**
     * Sends QUIT on every idle session, in parallel, and waits for them until {@code deadline}; sessions still
     * waiting then are closed without their 221. Sessions lent out are closed when they come back.
     */
    void close(Duration deadline) {
        List<Lease> toClose;
        lock.lock();
        try {
            closed = true;
            toClose = new ArrayList<>(idle);
            idle.clear();
            open -= toClose.size();
            slotFree.signalAll();
        } finally {
            lock.unlock();
        }
        List<Thread> quitters = new ArrayList<>();
        for (Lease l : toClose) {
            Thread t = new Thread(l.session::close, "jsmtp-quit");
            t.setDaemon(true);
            t.start();
            quitters.add(t);
        }
        long end = System.nanoTime() + deadline.toNanos();
        for (int i = 0; i < quitters.size(); i++) {
            try {
                long left = end - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(quitters.get(i), left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (quitters.get(i).isAlive()) {
                toClose.get(i).session.abort();
            }
        }
    }
}
