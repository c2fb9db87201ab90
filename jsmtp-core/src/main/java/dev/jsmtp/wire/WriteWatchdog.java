package dev.jsmtp.wire;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread that watches every {@link DeadlineOutputStream} for writes blocked past their deadline (RFC
 * 5321 §4.5.3.2: a server that stops reading), since socket timeouts cover reads only.
 *
 * <p>A write costs the watched stream two volatile stores; the watchdog schedules at most one check per stream
 * and deadline period, not one per write. Stall actions run on a short-lived thread of their own, so a close
 * that blocks (TLS close_notify on a full window) cannot hold up the watchdog for other connections.
 */
public final class WriteWatchdog {

    private static final WriteWatchdog SHARED = new WriteWatchdog("jsmtp-write-watchdog");

    private final ScheduledThreadPoolExecutor executor;

    WriteWatchdog(String threadName) {
        executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /** The process-wide watchdog. */
    public static WriteWatchdog shared() {
        return SHARED;
    }

    ScheduledFuture<?> schedule(Runnable check, long delayNanos) {
        return executor.schedule(check, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    void runStallAction(Runnable onStall, String name) {
        Thread t = new Thread(onStall, name);
        t.setDaemon(true);
        t.start();
    }

    /** For tests: the executor, to shut a private watchdog down. */
    ScheduledExecutorService executor() {
        return executor;
    }
}
