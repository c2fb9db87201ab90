package dev.jsmtp;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * When a failed send is tried again (RFC 5321 §4.5.4.1 asks senders to retry transient failures with growing
 * delays): transient failures — 4yz replies, connections refused or lost before the end of data was written,
 * timeouts before it — are retried with exponential backoff and jitter, up to {@code maxAttempts} attempts and
 * within {@code deadline} of the first. Permanent failures (5yz) and ambiguous ones (the connection was lost after
 * the end of data and before its reply) are never retried: an ambiguous failure may already have delivered the
 * message.
 *
 * @param maxAttempts    attempts in all, the first included (1 = no retry)
 * @param initialBackoff the delay before the second attempt
 * @param multiplier     each later delay is the previous one times this
 * @param maxBackoff     no delay exceeds this
 * @param jitter         each delay is drawn uniformly from {@code [d × (1 − jitter), d]}, so that many clients
 *                       refused together do not come back together; 0 to 1
 * @param deadline       no attempt starts later than this after the first
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff,
                          double jitter, Duration deadline) {

    /** No retries: every failure is reported at once. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ofSeconds(1), 1, Duration.ofSeconds(1), 0,
            Duration.ofSeconds(1));

    /** Four attempts, 2 s, 4 s and 8 s apart (less up to 20 % jitter), within two minutes. */
    public static final RetryPolicy DEFAULTS = new RetryPolicy(4, Duration.ofSeconds(2), 2, Duration.ofMinutes(1),
            0.2, Duration.ofMinutes(2));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(deadline, "deadline");
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || deadline.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be at least 1: " + multiplier);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
        }
    }

    /** Up to {@code maxAttempts} attempts, starting {@code initialBackoff} apart and doubling, within {@code deadline}. */
    public static RetryPolicy exponential(int maxAttempts, Duration initialBackoff, Duration deadline) {
        return new RetryPolicy(maxAttempts, initialBackoff, 2, Duration.ofMinutes(10), 0.2, deadline);
    }

    /** True when {@code failure} is of a kind this policy retries: transient and not ambiguous. */
    public boolean retries(SmtpException failure) {
        return maxAttempts > 1 && failure.isTransient() && !failure.isAmbiguous();
    }

    /**
     * The delay before attempt {@code nextAttempt} (2 for the first retry), or empty when no such attempt may
     * be made. {@code random} is a number in {@code [0, 1)} that picks the jitter; {@code elapsed} is the time
     * since the first attempt started.
     */
    public Optional<Duration> delayBefore(int nextAttempt, Duration elapsed, double random) {
        if (nextAttempt < 2 || nextAttempt > maxAttempts) {
            return Optional.empty();
        }
        double nanos = initialBackoff.toNanos() * Math.pow(multiplier, nextAttempt - 2);
        nanos = Math.min(nanos, maxBackoff.toNanos());
        nanos = nanos * (1 - jitter * random);
        Duration delay = Duration.ofNanos((long) nanos);
        if (elapsed.plus(delay).compareTo(deadline) > 0) {
            return Optional.empty();
        }
        return Optional.of(delay);
    }
}
