package dev.jsmtp.transport;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread for every client that closes idle pooled connections when their idle timeout passes, so a
 * client left alone still QUITs politely before the server drops it (RFC 5321 §4.5.3.2.7). It holds clients
 * weakly: a client dropped without {@code close()} is not kept alive by it.
 */
final class IdleReaper {

    private static final ScheduledThreadPoolExecutor SCHEDULER = scheduler();

    private IdleReaper() {
    }

    private static ScheduledThreadPoolExecutor scheduler() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "jsmtp-idle-reaper");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    /** Calls {@code pool.evictIdle()} every half idle timeout until cancelled or the pool is collected. */
    static ScheduledFuture<?> watch(ConnectionPool pool, Duration idleTimeout) {
        WeakReference<ConnectionPool> ref = new WeakReference<>(pool);
        long period = Math.max(1, idleTimeout.toMillis() / 2);
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        synchronized (self) {
            self[0] = SCHEDULER.scheduleWithFixedDelay(() -> {
                ConnectionPool p = ref.get();
                if (p == null) {
                    synchronized (self) {
                        self[0].cancel(false);
                    }
                    return;
                }
                p.evictIdle();
            }, period, period, TimeUnit.MILLISECONDS);
        }
        return self[0];
    }
}
