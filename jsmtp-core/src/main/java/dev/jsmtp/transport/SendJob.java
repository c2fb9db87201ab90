package dev.jsmtp.transport;

import dev.jsmtp.OutgoingMessage;
import dev.jsmtp.SendFuture;
import dev.jsmtp.session.Session;

/**
 * One queued message of a {@link PooledTransport} and what its attempts have used so far (RFC 5321 §4.5.4.1
 * retries); it is its future's canceller, closing the session it holds at the moment of the cancel.
 */
final class SendJob implements SendFuture.Canceller {
    final OutgoingMessage message;
    final SendFuture future;
    // Guarded by this job: a cancel aborts only the session the job holds at that moment, never one it has
    // already given back to the pool (and that may now carry another caller's transaction).
    private Session current;
    // In a shared flight the session's end-of-data flag covers the whole flight; this one is the job's own.
    private boolean batched;
    private volatile boolean ownEndOfData;
    volatile boolean cancelled;
    int attempts;
    long firstAttemptNanos;
    boolean tokenRefreshed;

    SendJob(OutgoingMessage message) {
        this.message = message;
        this.future = new SendFuture(message, this);
    }

    void startAttempt(Ticker ticker) {
        if (attempts++ == 0) {
            firstAttemptNanos = ticker.nanoTime();
        }
    }

    /** Makes {@code session} the one a cancel closes; false when the job was cancelled (send nothing). */
    synchronized boolean bind(Session session, boolean inFlight) {
        if (cancelled || future.isDone()) {
            return false;
        }
        current = session;
        batched = inFlight;
        ownEndOfData = false;
        return true;
    }

    /** Called by a shared flight just before this job's end of data is buffered. */
    void endOfDataStarting() {
        ownEndOfData = true;
    }

    /** Before the session goes back to the pool. */
    synchronized void unbind() {
        current = null;
    }

    @Override
    public synchronized boolean cancelSend() {
        cancelled = true;
        Session session = current;
        if (session == null) {
            return false;
        }
        boolean ended = batched ? ownEndOfData : session.endOfDataWritten();
        // Socket I/O ignores interrupts: closing the socket is the only way to stop a blocked read or write.
        session.abort();
        return ended;
    }
}
