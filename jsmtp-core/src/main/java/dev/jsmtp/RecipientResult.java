package dev.jsmtp;

import java.util.Objects;

/** One forward-path and the server's reply to its RCPT TO (RFC 5321 §4.1.1.3). */
public record RecipientResult(Path forwardPath, Reply reply) {

    public RecipientResult {
        Objects.requireNonNull(forwardPath);
        Objects.requireNonNull(reply);
    }

    /** True when the server accepted the recipient (2yz). */
    public boolean accepted() {
        return reply.isPositive();
    }

    @Override
    public String toString() {
        return "<" + forwardPath + "> " + reply;
    }
}
