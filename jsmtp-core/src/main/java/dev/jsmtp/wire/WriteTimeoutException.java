package dev.jsmtp.wire;

import java.io.IOException;
import java.time.Duration;

/**
 * A write to the server made no progress before its deadline (RFC 5321 §4.5.3.2: the server stopped reading), so
 * the connection was closed. The session turns it into an {@code SmtpTimeoutException}.
 */
public final class WriteTimeoutException extends IOException {

    private final Duration deadline;

    public WriteTimeoutException(Duration deadline, Throwable cause) {
        super("write made no progress for " + deadline.toMillis() + " ms; the server stopped reading", cause);
        this.deadline = deadline;
    }

    /** How long a single write could block before the connection was closed. */
    public Duration deadline() {
        return deadline;
    }
}
