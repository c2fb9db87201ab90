package dev.jsmtp.wire;

import java.io.IOException;
import java.time.Duration;

/**
 * No complete SMTP reply (RFC 5321 §4.2) arrived before its deadline (RFC 5321 §4.5.3.2); the message says how
 * much of a partial reply had arrived. The session turns it into an {@code SmtpTimeoutException}.
 */
public final class ReplyTimeoutException extends IOException {

    private final Duration timeout;
    private final int partialBytes;

    public ReplyTimeoutException(String message, Duration timeout, int partialBytes, Throwable cause) {
        super(message, cause);
        this.timeout = timeout;
        this.partialBytes = partialBytes;
    }

    /** The deadline that passed, measured from the start of {@link ReplyReader#read(Duration)}. */
    public Duration timeout() {
        return timeout;
    }

    /** How many bytes of the unfinished reply had arrived. */
    public int partialBytes() {
        return partialBytes;
    }
}
