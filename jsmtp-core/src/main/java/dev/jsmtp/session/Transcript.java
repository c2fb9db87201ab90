package dev.jsmtp.session;

import dev.jsmtp.Escaping;
import dev.jsmtp.TranscriptEvent;
import dev.jsmtp.TranscriptListener;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends transcript events to the caller's listener, escaped; a listener that throws never breaks the session.
 * Masking of AUTH payloads happens before text gets here: the session passes the masked form of each AUTH line.
 */
final class Transcript {

    private final TranscriptListener listener;
    private final List<String> secretForms = new ArrayList<>();

    Transcript(TranscriptListener listener) {
        this.listener = listener;
    }

    boolean enabled() {
        return listener != TranscriptListener.NONE;
    }

    void client(String line) {
        emit(TranscriptEvent.Kind.CLIENT, line);
    }

    /**
     * Forms of a secret the client sent (escaped, as lines are shown): a server that echoes them must not put
     * them in the transcript.
     */
    void addSecretForms(List<String> forms) {
        secretForms.addAll(forms);
        secretForms.sort((a, b) -> b.length() - a.length());
    }

    /** A reply line exactly as the reply reader reports it: already escaped; echoed secrets are masked. */
    void server(String escapedLine) {
        if (enabled()) {
            String line = escapedLine;
            for (String secret : secretForms) {
                line = line.replace(secret, "****");
            }
            deliver(new TranscriptEvent(Instant.now(), TranscriptEvent.Kind.SERVER, line));
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
