package dev.jsmtp.wire;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Message content for the DATA command (RFC 5321 §4.5.2): CRLF-normalises every line ending and doubles a '.' at
 * the start of each line, so that no content can end the data early (SMTP smuggling); {@link #finish()} writes
 * the end-of-data marker.
 *
 * <p>{@link #close()} flushes but neither ends the data nor closes the connection.
 */
public final class DotStuffingOutputStream extends LineEndingOutputStream {

    private static final byte[] END_OF_DATA = {'.', '\r', '\n'};

    public DotStuffingOutputStream(OutputStream out) {
        super(out, true);
    }

    /**
     * Ends the last line with CRLF if it is unfinished, then writes {@code .CRLF}. Does not flush or close the
     * underlying stream; further writes throw {@link IllegalStateException}. Calling it again does nothing.
     */
    public void finish() throws IOException {
        if (isFinished()) {
            return;
        }
        finishLines();
        out.write(END_OF_DATA);
        markFinished();
    }
}
