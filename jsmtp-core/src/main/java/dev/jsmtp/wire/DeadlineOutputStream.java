package dev.jsmtp.wire;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A socket's output with a deadline on every write and flush (RFC 5321 §4.5.3.2): when one blocks longer (the
 * server stopped reading and the TCP window is shut), {@code onStall} runs, normally closing the socket, and the
 * blocked call throws {@link WriteTimeoutException}.
 *
 * <p>Large writes are passed on in slices of 64 KiB, each with a fresh deadline, so a slow reader that keeps
 * making progress is not mistaken for a stalled one. Once stalled, every further call throws
 * {@link WriteTimeoutException}.
 */
public final class DeadlineOutputStream extends FilterOutputStream {

    private static final int SLICE = 64 * 1024;
    private static final long IDLE = Long.MIN_VALUE;

    private final long deadlineNanos;
    private final Duration deadline;
    private final Runnable onStall;
    private final WriteWatchdog watchdog;
    // When the current call started, or IDLE between calls.
    private volatile long armedAt = IDLE;
    private volatile boolean stalled;
    private volatile boolean closed;
    private final AtomicBoolean checkScheduled = new AtomicBoolean();
    private volatile ScheduledFuture<?> check;
    private final Runnable checkTask = this::check;

    public DeadlineOutputStream(OutputStream socketOut, Duration deadline, Runnable onStall, WriteWatchdog watchdog) {
        super(Objects.requireNonNull(socketOut, "socketOut"));
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("write deadline must be positive: " + deadline);
        }
        this.deadline = deadline;
        this.deadlineNanos = toNanos(deadline);
        this.onStall = Objects.requireNonNull(onStall, "onStall");
        this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
    }

    @Override
    public void write(int b) throws IOException {
        arm();
        try {
            out.write(b);
        } catch (IOException e) {
            throw translate(e);
        } finally {
            disarm();
        }
        checkStalled();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        do {
            int n = Math.min(len, SLICE);
            arm();
            try {
                out.write(b, off, n);
            } catch (IOException e) {
                throw translate(e);
            } finally {
                disarm();
            }
            off += n;
            len -= n;
        } while (len > 0);
        checkStalled();
    }

    @Override
    public void flush() throws IOException {
        arm();
        try {
            out.flush();
        } catch (IOException e) {
            throw translate(e);
        } finally {
            disarm();
        }
        checkStalled();
    }

    /** Closes the underlying stream; the watchdog forgets this stream. */
    @Override
    public void close() throws IOException {
        closed = true;
        ScheduledFuture<?> pending = check;
        if (pending != null) {
            pending.cancel(false);
        }
        try {
            flush();
        } finally {
            out.close();
        }
    }

    /** True when a write blocked past the deadline and {@code onStall} was run. */
    public boolean isStalled() {
        return stalled;
    }

    private void arm() throws WriteTimeoutException {
        checkStalled();
        armedAt = System.nanoTime();
        if (!checkScheduled.get() && checkScheduled.compareAndSet(false, true)) {
            check = watchdog.schedule(checkTask, deadlineNanos);
        }
    }

    private void disarm() {
        armedAt = IDLE;
    }

    private void checkStalled() throws WriteTimeoutException {
        if (stalled) {
            throw new WriteTimeoutException(deadline, null);
        }
    }

    private IOException translate(IOException e) {
        return stalled ? new WriteTimeoutException(deadline, e) : e;
    }

    /** Runs on the watchdog thread: fires, reschedules for the current call's deadline, or goes idle. */
    private void check() {
        if (closed) {
            return;
        }
        long at = armedAt;
        if (at == IDLE) {
            checkScheduled.set(false);
            // A call may have armed after the read above but seen checkScheduled still set: look again.
            if (armedAt != IDLE && !closed && checkScheduled.compareAndSet(false, true)) {
                check = watchdog.schedule(checkTask, deadlineNanos);
            }
            return;
        }
        long elapsed = System.nanoTime() - at;
        if (elapsed >= deadlineNanos) {
            stalled = true;
            watchdog.runStallAction(onStall, "jsmtp-write-stall");
            return;
        }
        check = watchdog.schedule(checkTask, deadlineNanos - elapsed);
    }

    private static long toNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }
}
