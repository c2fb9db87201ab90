package dev.jsmtp.transport;

/**
 * A token bucket that spaces messages to at most {@code perMinute} a minute, as providers enforce per account
 * (Microsoft 365: 30 a minute). The bucket holds one token, so messages leave evenly spaced and no sixty-second
 * window ever holds more than {@code perMinute + 1}.
 */
final class RateLimiter {

    private final long intervalNanos;
    private final Ticker ticker;
    private long nextFree;
    private boolean started;

    RateLimiter(int perMinute, Ticker ticker) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("rate limit must be at least 1 a minute: " + perMinute);
        }
        this.intervalNanos = 60_000_000_000L / perMinute;
        this.ticker = ticker;
    }

    /** Takes the next slot when it is free now; false, taking nothing, when a message would have to wait. */
    synchronized boolean tryAcquire() {
        long now = ticker.nanoTime();
        if (started && now - nextFree < 0) {
            return false;
        }
        started = true;
        nextFree = now + intervalNanos;
        return true;
    }

    /** Waits until the next message may leave, and takes its slot. */
    void acquire() throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = ticker.nanoTime();
            if (!started || now - nextFree >= 0) {
                started = true;
                nextFree = now + intervalNanos;
                return;
            }
            wait = nextFree - now;
            nextFree += intervalNanos;
        }
        ticker.sleep(wait);
    }
}
