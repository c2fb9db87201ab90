package dev.jsmtp.session;

/**
 * Where a session stands in RFC 5321's command order: each verb checks it once before it writes.
 * GREETED → READY (after EHLO/HELO) → [after STARTTLS back to GREETED, then READY] → AUTHENTICATED → CLOSED.
 */
enum SessionState {
    /** Connected, the 220 greeting read; EHLO comes next. */
    GREETED,
    /** EHLO or HELO answered: STARTTLS, AUTH or a transaction may follow. */
    READY,
    /** AUTH succeeded; transactions follow. */
    AUTHENTICATED,
    /** QUIT sent, or the connection failed or was closed. */
    CLOSED;

    void require(String verb, SessionState... allowed) {
        for (SessionState s : allowed) {
            if (s == this) {
                return;
            }
        }
        throw new IllegalStateException(verb + " is not allowed in state " + this);
    }
}
