package dev.jsmtp.cli;

import dev.jsmtp.Escaping;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpException;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Per-message outcomes, written by the connection threads, each into its own slot. */
final class LoadTally {
    private final long[] latencyNanos;
    private final long[] turns;
    private final boolean[] ok;
    private final AtomicInteger refusedRecipients = new AtomicInteger();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final AtomicReference<SmtpException> firstException = new AtomicReference<>();
    private volatile boolean anyPermanent;

    LoadTally(int total) {
        latencyNanos = new long[total];
        turns = new long[total];
        ok = new boolean[total];
        Arrays.fill(latencyNanos, -1);
    }

    int total() {
        return ok.length;
    }

    void done(int index, long nanos, long turnCount, SendResult result) {
        latencyNanos[index] = nanos;
        turns[index] = turnCount;
        boolean positive = result.finalReply().isPositive();
        int refused = result.refused().size();
        refusedRecipients.addAndGet(refused);
        ok[index] = positive && refused == 0;
        if (!ok[index]) {
            anyPermanent |= !result.finalReply().isTransientNegative()
                    || result.refused().stream().anyMatch(r -> !r.reply().isTransientNegative());
            firstError.compareAndSet(null, positive ? "refused recipients: " + result.refused()
                    : "final reply " + result.finalReply());
        }
    }

    void failed(int index, Exception e) {
        latencyNanos[index] = -1;
        anyPermanent |= !(e instanceof SmtpException s) || !s.isTransient();
        if (firstError.compareAndSet(null, Escaping.escape(String.valueOf(e.getMessage())))
                && e instanceof SmtpException s) {
            firstException.set(s);
        }
    }

    /** The exception behind the first failure, when the first failure was one. */
    SmtpException firstException() {
        return firstException.get();
    }

    boolean anyPermanent() {
        return anyPermanent;
    }

    /** Must be called after every connection thread has ended. */
    LoadReport report(long elapsedNanos, long messageSize) {
        long[] sent = Arrays.stream(latencyNanos).filter(n -> n >= 0).sorted().toArray();
        int succeeded = 0;
        long turnSum = 0;
        boolean turnsKnown = true;
        for (int i = 0; i < ok.length; i++) {
            succeeded += ok[i] ? 1 : 0;
            if (latencyNanos[i] >= 0) {
                turnsKnown &= turns[i] >= 0;
                turnSum += turns[i];
            }
        }
        double seconds = elapsedNanos / 1e9;
        double turnsPerMessage = turnsKnown && sent.length > 0 ? (double) turnSum / sent.length : Double.NaN;
        return new LoadReport(ok.length, succeeded, ok.length - succeeded, refusedRecipients.get(), messageSize,
                seconds, succeeded / seconds, succeeded * (double) messageSize / seconds,
                percentile(sent, 50), percentile(sent, 90), percentile(sent, 99),
                sent.length == 0 ? Double.NaN : sent[sent.length - 1] / 1e6, turnsPerMessage, firstError.get());
    }

    /** Nearest-rank percentile in milliseconds. */
    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
