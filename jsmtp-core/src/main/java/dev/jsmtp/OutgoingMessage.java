package dev.jsmtp;

import java.util.Objects;

/** One message to send in a bulk job: the SMTP envelope (RFC 5321 §2.3.1) and the content (RFC 5322). */
public record OutgoingMessage(Envelope envelope, MessageContent content) {

    public OutgoingMessage {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(content, "content");
    }
}
