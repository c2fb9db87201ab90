package dev.jsmtp;

import java.util.Objects;

/**
 * How one message of an asynchronous or bulk send ended (RFC 5321 §4.2.5): sent, failed, ambiguous (the
 * connection was lost after the end of data and before its reply, so the server may have taken the message: never
 * resent automatically), or cancelled by the caller.
 */
public sealed interface SendOutcome
        permits SendOutcome.Sent, SendOutcome.Failed, SendOutcome.Ambiguous, SendOutcome.Cancelled {

    /** The message this outcome is about. */
    OutgoingMessage message();

    /** The server accepted the message for at least one recipient; refused recipients are in the result. */
    record Sent(OutgoingMessage message, SendResult result) implements SendOutcome {
        public Sent {
            Objects.requireNonNull(message);
            Objects.requireNonNull(result);
        }
    }

    /** Nothing was delivered; {@code error.isTransient()} tells whether a later try may succeed. */
    record Failed(OutgoingMessage message, Exception error) implements SendOutcome {
        public Failed {
            Objects.requireNonNull(message);
            Objects.requireNonNull(error);
        }
    }

    /** The end of data was sent but its reply never came: the message may or may not have been accepted. */
    record Ambiguous(OutgoingMessage message, SmtpException error) implements SendOutcome {
        public Ambiguous {
            Objects.requireNonNull(message);
            Objects.requireNonNull(error);
        }
    }

    /**
     * The caller cancelled the send (or interrupted it) and its connection was closed. {@code afterEndOfData}
     * is true when the end of data may already have reached the server, so the message may have been accepted.
     */
    record Cancelled(OutgoingMessage message, boolean afterEndOfData) implements SendOutcome {
        public Cancelled {
            Objects.requireNonNull(message);
        }
    }

    /** The outcome for a failure: {@link Ambiguous} when the failure is, {@link Failed} otherwise. */
    static SendOutcome of(OutgoingMessage message, Exception error) {
        if (error instanceof SmtpException smtp && smtp.isAmbiguous()) {
            return new Ambiguous(message, smtp);
        }
        return new Failed(message, error);
    }
}
