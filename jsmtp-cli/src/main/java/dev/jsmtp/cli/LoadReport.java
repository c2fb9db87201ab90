package dev.jsmtp.cli;

import java.util.Locale;

/** What one run measured. Latencies are in milliseconds; NaN where nothing was measured. */
record LoadReport(int messages, int succeeded, int failed, int refusedRecipients, long messageSize,
                  double seconds, double messagesPerSecond, double bytesPerSecond, double p50, double p90,
                  double p99, double max, double turnsPerMessage, String firstError) {

    String toText() {
        return String.format(Locale.ROOT, "messages %d sent %d failed %d refused-recipients %d size %d%n"
                        + "time %.3f s  %.1f messages/s  %s/s%n"
                        + "latency ms p50 %s p90 %s p99 %s max %s%n"
                        + "client turns per message %s",
                messages, succeeded, failed, refusedRecipients, messageSize, seconds, messagesPerSecond,
                bytes(bytesPerSecond), text(p50), text(p90), text(p99), text(max), text(turnsPerMessage));
    }

    /** Three decimals, or a dash where nothing was measured (no message got a reply). */
    private static String text(double d) {
        return Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "-";
    }

    String toJson() {
        return String.format(Locale.ROOT, "{\"messages\":%d,\"succeeded\":%d,\"failed\":%d,"
                        + "\"refusedRecipients\":%d,\"messageSize\":%d,\"seconds\":%s,\"messagesPerSecond\":%s,"
                        + "\"bytesPerSecond\":%s,\"latencyMs\":{\"p50\":%s,\"p90\":%s,\"p99\":%s,\"max\":%s},"
                        + "\"clientTurnsPerMessage\":%s,\"firstError\":%s}",
                messages, succeeded, failed, refusedRecipients, messageSize, num(seconds),
                num(messagesPerSecond), num(bytesPerSecond), num(p50), num(p90), num(p99), num(max),
                num(turnsPerMessage), firstError == null ? "null" : quote(firstError));
    }

    private static String num(double d) {
        return Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "null";
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static String bytes(double perSecond) {
        return perSecond >= 1e6 ? String.format(Locale.ROOT, "%.1f MB", perSecond / 1e6)
                : String.format(Locale.ROOT, "%.1f kB", perSecond / 1e3);
    }
}
