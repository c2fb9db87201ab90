package dev.jsmtp.transport;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-minute token bucket, on a stepped clock. */
class RateLimiterTest {

    private final FakeTicker ticker = new FakeTicker();

    @Test
    void firstMessageLeavesAtOnceThenEvenlySpaced() throws Exception {
        RateLimiter limiter = new RateLimiter(30, ticker);
        long start = ticker.nanoTime();
        limiter.acquire();
        assertThat(ticker.nanoTime()).isEqualTo(start);
        limiter.acquire();
        limiter.acquire();
        assertThat(ticker.sleeps()).containsExactly(Duration.ofSeconds(2).toNanos(), Duration.ofSeconds(2).toNanos());
    }

    @Test
    void tryAcquireTakesOnlyAFreeSlotAndNeverWaits() throws Exception {
        RateLimiter limiter = new RateLimiter(30, ticker);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
        ticker.advance(Duration.ofMillis(1999));
        assertThat(limiter.tryAcquire()).isFalse();
        ticker.advance(Duration.ofMillis(1));
        assertThat(limiter.tryAcquire()).isTrue();
        // A refused try took nothing: the next waiting caller gets the slot 2 s after the last one taken.
        limiter.acquire();
        assertThat(ticker.sleeps()).containsExactly(Duration.ofSeconds(2).toNanos());
    }

    @Test
    void idleTimeIsNotBankedIntoABurst() throws Exception {
        RateLimiter limiter = new RateLimiter(60, ticker);
        limiter.acquire();
        ticker.advance(Duration.ofMinutes(10));
        limiter.acquire();
        limiter.acquire();
        assertThat(ticker.sleeps()).containsExactly(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void concurrentCallersEachGetTheirOwnSlot() throws Exception {
        // Sleeps are recorded but, with the real ticker replaced, each caller's wait is computed under the lock.
        RateLimiter limiter = new RateLimiter(6, ticker);
        Thread[] threads = new Thread[4];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                try {
                    limiter.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(ticker.sleeps()).hasSize(3);
        assertThat(ticker.sleeps().stream().mapToLong(Long::longValue).max().getAsLong())
                .isGreaterThanOrEqualTo(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void refusesAZeroRate() {
        assertThatThrownBy(() -> new RateLimiter(0, ticker)).isInstanceOf(IllegalArgumentException.class);
    }
}
