package dev.jsmtp;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of an SMTP conversation's transcript: a command line the client sent, a reply line the server sent, a
 * TLS event, or a note. The text has secrets masked and control characters escaped; it has no CRLF.
 */
public record TranscriptEvent(Instant time, Kind kind, String text) {

    /** Who or what an entry is about. */
    public enum Kind {
        /** A line the client sent ({@code C:}). */
        CLIENT,
        /** A line the server sent ({@code S:}). */
        SERVER,
        /** A connection or TLS event: connected, handshake done with protocol and cipher, closed. */
        CONNECTION,
        /** Message content, summarised unless the caller asked for the content itself. */
        CONTENT
    }

    public TranscriptEvent {
        Objects.requireNonNull(time);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(text);
    }
}
