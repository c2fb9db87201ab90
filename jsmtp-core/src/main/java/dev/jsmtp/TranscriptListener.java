package dev.jsmtp;

/**
 * Receives the conversation as it happens: every command and reply (RFC 5321 §4.1) with a timestamp and
 * direction, plus TLS events. AUTH payloads are already masked and content is summarised unless asked for.
 * Called on the sending thread; keep it quick.
 */
@FunctionalInterface
public interface TranscriptListener {

    void onEvent(TranscriptEvent event);

    /** A listener that ignores everything. */
    TranscriptListener NONE = event -> {
    };
}
