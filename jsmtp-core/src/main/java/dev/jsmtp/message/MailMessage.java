package dev.jsmtp.message;

import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;

/**
 * An RFC 5322 message with MIME parts (RFC 2045-2049). PLACEHOLDER: the full implementation lands with the
 * message package.
 */
public final class MailMessage {

    private MailMessage() {
    }

    /** The envelope: reverse-path from Sender or From, forward-paths from To, Cc and Bcc. */
    public Envelope envelope() {
        throw new UnsupportedOperationException("not yet");
    }

    /** The message's octets, written as they are sent. */
    public MessageContent content() {
        throw new UnsupportedOperationException("not yet");
    }
}
