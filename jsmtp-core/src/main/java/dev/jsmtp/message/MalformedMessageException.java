package dev.jsmtp.message;

import java.io.IOException;

/**
 * A raw message that cannot be sent as RFC 5322 (§2.1.1, §3.6) demands and cannot be repaired without changing
 * what it says: a header line over 998 octets, an address field that does not parse, an over-long line where no
 * re-encoding is allowed.
 */
public final class MalformedMessageException extends IOException {

    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
