package dev.jsmtp.bench;

import java.util.Arrays;
import java.util.Locale;

/** Formats one driver run as the same JSON fields {@code jsmtp load --json} prints. */
final class Stats {

    private Stats() {
    }

    static String json(int messages, int failed, long size, long elapsedNanos, long[] latencyNanos) {
        long[] sorted = latencyNanos.clone();
        Arrays.sort(sorted);
        double seconds = elapsedNanos / 1e9;
        int ok = messages - failed;
        return String.format(Locale.ROOT, "{\"messages\":%d,\"succeeded\":%d,\"failed\":%d,\"messageSize\":%d,"
                        + "\"seconds\":%.6f,\"messagesPerSecond\":%.6g,\"bytesPerSecond\":%.6g,"
                        + "\"latencyMs\":{\"p50\":%.6g,\"p90\":%.6g,\"p99\":%.6g,\"max\":%.6g}}",
                messages, ok, failed, size, seconds, ok / seconds, ok * (double) size / seconds,
                pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
