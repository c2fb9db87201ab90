package dev.jsmtp.oauth2;

import java.time.Duration;

/** Waits between RFC 8628 polls; tests pass one that only advances their clock. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** Really waits, with {@link Thread#sleep}. */
    static Sleeper system() {
        return d -> Thread.sleep(d.toMillis());
    }
}
