package dev.jsmtp.wire;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Message content for BDAT (RFC 3030): every line ending becomes CRLF (RFC 5321 §2.3.8), nothing is dot-stuffed,
 * since BDAT counts octets instead of looking for an end marker.
 *
 * <p>{@link #close()} flushes but neither finishes nor closes the underlying stream.
 */
public final class CrlfOutputStream extends LineEndingOutputStream {

    public CrlfOutputStream(OutputStream out) {
        super(out, false);
    }

    /**
     * Completes the last line with CRLF if it is unfinished. Does not flush or close the underlying stream;
     * further writes throw {@link IllegalStateException}. Calling it again does nothing.
     */
    public void finish() throws IOException {
        if (isFinished()) {
            return;
        }
        finishLines();
        markFinished();
    }
}
