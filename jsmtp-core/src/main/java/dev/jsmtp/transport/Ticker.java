package dev.jsmtp.transport;

import java.util.concurrent.TimeUnit;

/**
 * The transport's source of time: a monotonic nanosecond clock and a way to wait. Tests pass one that steps
 * time forward instead of sleeping, so backoff, idle expiry and rate limits run instantly.
 */
public interface Ticker {

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Waits {@code nanos} nanoseconds. */
    void sleep(long nanos) throws InterruptedException;

    /** The system's clock and real sleeping. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            if (nanos > 0) {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        }
    };
}
