package dev.jsmtp.session;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Shows the message content in the transcript line by line, as the caller wrote it (before dot-stuffing), when
 * the caller asked for content in transcripts. Each shown line is cut at {@value #SHOWN} octets, so a huge line
 * cannot fill the memory of a listener.
 */
final class ContentTranscript extends FilterOutputStream {

    private static final int SHOWN = 998;

    private final Transcript transcript;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean cut;

    ContentTranscript(OutputStream out, Transcript transcript) {
        super(out);
        this.transcript = transcript;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        see(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        for (int i = off; i < off + len; i++) {
            see(b[i]);
        }
    }

    private void see(int b) {
        if (b == '\n') {
            emit();
        } else if (b != '\r') {
            if (line.size() < SHOWN) {
                line.write(b);
            } else {
                cut = true;
            }
        }
    }

    private void emit() {
        transcript.content(line.toString(StandardCharsets.UTF_8) + (cut ? "…" : ""));
        line.reset();
        cut = false;
    }

    /** Shows a last line that had no line ending; the underlying stream is finished by its owner. */
    void end() {
        if (line.size() > 0 || cut) {
            emit();
        }
    }

    @Override
    public void close() {
        // The data stream belongs to the transaction; closing the transcript view closes nothing.
    }
}
