package dev.jsmtp.session;

import dev.jsmtp.Escaping;
import dev.jsmtp.TranscriptEvent;
import dev.jsmtp.TranscriptListener;

import java.time.Instant;

/**
 * Sends transcript events to the caller's listener, escaped; a listener that throws never breaks the session.
 * Masking of AUTH payloads happens before text gets here: the session passes the masked form of each AUTH line.
 */
final class Transcript {

    private final TranscriptListener listener;

    Transcript(TranscriptListener listener) {
        this.listener = listener;
    }

    boolean enabled() {
        return listener != TranscriptListener.NONE;
    }

    void client(String line) {
        emit(TranscriptEvent.Kind.CLIENT, line);
    }

    /** A reply line exactly as the reply reader reports it: already escaped. */
    void server(String escapedLine) {
        if (enabled()) {
            deliver(new TranscriptEvent(Instant.now(), TranscriptEvent.Kind.SERVER, escapedLine));
        }
    }

    void connection(String text) {
        emit(TranscriptEvent.Kind.CONNECTION, text);
    }

    void content(String text) {
        emit(TranscriptEvent.Kind.CONTENT, text);
    }

    private void emit(TranscriptEvent.Kind kind, String text) {
        if (!enabled()) {
            return;
        }
        deliver(new TranscriptEvent(Instant.now(), kind, Escaping.escape(text)));
    }

    private void deliver(TranscriptEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException ignored) {
            // A faulty listener must not abort a mail transaction half-way.
        }
    }
}
