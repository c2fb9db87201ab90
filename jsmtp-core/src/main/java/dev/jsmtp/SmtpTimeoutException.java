package dev.jsmtp;

import java.time.Duration;

/**
 * A wait exceeded its deadline (RFC 5321 §4.5.3.2): {@link #waitingFor()} names the wait (connect, TLS handshake,
 * a command's reply, a stalled write) and {@link #timeout()} its length. The connection is closed.
 */
public final class SmtpTimeoutException extends SmtpException {

    private final String waitingFor;
    private final Duration timeout;
    private final boolean endOfDataSent;

    public SmtpTimeoutException(String waitingFor, Duration timeout, boolean endOfDataSent, String server) {
        super("timed out after " + format(timeout) + " waiting for " + waitingFor
                + (endOfDataSent ? "; the message may or may not have been accepted" : ""), server, null);
        this.waitingFor = waitingFor;
        this.timeout = timeout;
        this.endOfDataSent = endOfDataSent;
    }

    private static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    public String waitingFor() {
        return waitingFor;
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public boolean isAmbiguous() {
        return endOfDataSent;
    }

    @Override
    public boolean isTransient() {
        return !endOfDataSent;
    }
}
