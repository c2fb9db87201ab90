package dev.jsmtp.transport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker whose time moves only when told to or when someone sleeps: sleeping advances it at once. */
final class FakeTicker implements Ticker {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Long> sleeps = Collections.synchronizedList(new ArrayList<>());

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void sleep(long nanos) {
        sleeps.add(nanos);
        now.addAndGet(Math.max(0, nanos));
    }

    void advance(java.time.Duration d) {
        now.addAndGet(d.toNanos());
    }

    List<Long> sleeps() {
        return List.copyOf(sleeps);
    }
}
