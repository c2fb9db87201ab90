package dev.jsmtp;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How long each wait of an SMTP session may last (RFC 5321 §4.5.3.2). Each reply timeout is a deadline for the
 * <em>complete</em> reply, so a server that drips one byte at a time cannot extend it; {@code write} bounds a
 * stalled write (a server that stops reading); {@code transaction}, when set, bounds a whole send.
 *
 * <p>Defaults: connect 30 s, TLS handshake 30 s, greeting 5 min, EHLO/HELO 5 min, STARTTLS 2 min, AUTH 2 min,
 * MAIL 5 min, RCPT 5 min, DATA 2 min, a stalled write 3 min, the final reply after the data 10 min, QUIT 10 s,
 * no transaction deadline. The greeting, MAIL, RCPT, DATA, write and final-reply values are RFC 5321's minimums.
 */
public record Timeouts(Duration connect, Duration tlsHandshake, Duration greeting, Duration ehlo,
                       Duration startTls, Duration auth, Duration mail, Duration rcpt, Duration data,
                       Duration write, Duration finalReply, Duration quit, Optional<Duration> transaction) {

    /** The defaults listed in the class description. */
    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(2),
            Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(3),
            Duration.ofMinutes(10), Duration.ofSeconds(10), Optional.empty());

    public Timeouts {
        for (Duration d : new Duration[] {connect, tlsHandshake, greeting, ehlo, startTls, auth, mail, rcpt, data,
                write, finalReply, quit}) {
            Objects.requireNonNull(d);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
        transaction = transaction == null ? Optional.empty() : transaction;
    }

    /** The same timeout for every wait (the CLI's {@code --timeout}). */
    public static Timeouts all(Duration timeout) {
        return new Timeouts(timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout,
                timeout, timeout, timeout, Optional.empty());
    }

    /** A copy with a deadline for each whole transaction. */
    public Timeouts withTransaction(Duration deadline) {
        return new Timeouts(connect, tlsHandshake, greeting, ehlo, startTls, auth, mail, rcpt, data, write,
                finalReply, quit, Optional.of(deadline));
    }
}
