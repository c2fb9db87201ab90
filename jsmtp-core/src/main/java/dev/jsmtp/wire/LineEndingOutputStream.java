package dev.jsmtp.wire;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The shared engine of {@link DotStuffingOutputStream} and {@link CrlfOutputStream}: rewrites every line ending
 * (CRLF, bare CR, bare LF) as CRLF (RFC 5321 §2.3.8) and, when asked, doubles a '.' at the start of a line
 * (RFC 5321 §4.5.2). Unchanged runs are passed on with one bulk write.
 */
abstract class LineEndingOutputStream extends FilterOutputStream {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] CRLF = {CR, LF};

    private final boolean stuffDots;
    // At the start of a line: the next byte is the line's first.
    private boolean atLineStart = true;
    // A CR was passed on and its LF is still owed: it is the next byte if that is a LF, otherwise inserted.
    private boolean lfOwed;
    private boolean finished;

    LineEndingOutputStream(OutputStream out, boolean stuffDots) {
        super(out);
        this.stuffDots = stuffDots;
    }

    @Override
    public final void write(int b) throws IOException {
        checkOpen();
        byte c = (byte) b;
        if (lfOwed) {
            lfOwed = false;
            out.write(LF);
            if (c == LF) {
                return;
            }
        }
        if (c == CR) {
            out.write(CR);
            lfOwed = true;
            atLineStart = true;
        } else if (c == LF) {
            out.write(CRLF);
            atLineStart = true;
        } else {
            if (atLineStart && stuffDots && c == '.') {
                out.write('.');
            }
            atLineStart = false;
            out.write(c);
        }
    }

    @Override
    public final void write(byte[] b, int off, int len) throws IOException {
        checkOpen();
        Objects.checkFromIndexSize(off, len, b.length);
        int end = off + len;
        int i = off;
        int runStart = i;
        if (lfOwed && i < end) {
            lfOwed = false;
            if (b[i] == LF) {
                i++; // the owed LF opens this run
            } else {
                out.write(LF);
            }
        }
        while (i < end) {
            if (atLineStart) {
                atLineStart = false;
                byte first = b[i];
                if (first == '.' && stuffDots) {
                    // Pass on the run so far and an extra dot; the original dot opens the next run.
                    out.write(b, runStart, i - runStart);
                    out.write('.');
                    runStart = i;
                } else if (first == CR || first == LF) {
                    atLineStart = true; // an empty line; handled below
                }
            }
            // Scan the rest of the line: the hot loop, bytes that need no change.
            byte c = 0;
            while (i < end && (c = b[i]) != CR && c != LF) {
                i++;
            }
            if (i == end) {
                break;
            }
            atLineStart = true;
            if (c == CR) {
                if (i + 1 < end) {
                    if (b[i + 1] == LF) {
                        i += 2;
                        continue;
                    }
                    out.write(b, runStart, i + 1 - runStart); // bare CR: owe it a LF
                    out.write(LF);
                    runStart = ++i;
                } else {
                    i++;
                    lfOwed = true;
                }
            } else {
                out.write(b, runStart, i - runStart); // bare LF: write CRLF instead
                out.write(CRLF);
                runStart = ++i;
            }
        }
        if (i > runStart) {
            out.write(b, runStart, i - runStart);
        }
    }

    /** Completes the last line: the owed LF, or CRLF after an unterminated line. Idempotent; closes nothing. */
    final void finishLines() throws IOException {
        checkOpen();
        if (lfOwed) {
            lfOwed = false;
            out.write(LF);
        } else if (!atLineStart) {
            out.write(CRLF);
        }
        atLineStart = true;
    }

    final void markFinished() {
        finished = true;
    }

    final boolean isFinished() {
        return finished;
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("the data was already finished");
        }
    }

    /**
     * Flushes without ending the data or closing the connection: only {@code finish()} ends the data, so an
     * aborted copy in a try-with-resources never looks like a complete message.
     */
    @Override
    public void close() throws IOException {
        out.flush();
    }
}
