package dev.jsmtp.wire;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
                // Whole lines that already end in CRLF (and, when stuffing, start with no dot) pass unchanged.
                i = cleanLines(b, i, end, stuffDots);
                if (i == end) {
                    break;
                }
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
            // The rest of the line needs no change: find its end.
            i = indexOfLineBreak(b, i, end);
            if (i == end) {
                break;
            }
            byte c = b[i];
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

    /**
     * The end of the longest run of whole lines from {@code from} (a line start) that need no change: each ends in
     * CRLF, holds no other CR or LF and, when {@code noDotFirst}, does not start with a dot. Returns {@code from}
     * when there is none. Checks eight bytes at a time: a word with no octet below 0x0e needs one test; any other
     * gets exact per-byte masks, and the text is clean exactly when the LF positions are the CR positions moved on
     * by one.
     */
    static int cleanLines(byte[] b, int from, int end, boolean noDotFirst) {
        int clean = from;
        long crBefore = 0; // 0x80 when the byte before the current word is a CR
        long lfBefore = 0x80L; // 0x80 when the byte before the current word ends a line (from is a line start)
        for (int i = from; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = (long) LONGS.get(b, i);
            // Most words of text hold no octet below 0x0e, so no CR or LF, and start no line: skip them cheaply.
            if ((crBefore | lfBefore) == 0 && ((word - 0x0e0e0e0e0e0e0e0eL) & ~word & 0x8080808080808080L) == 0) {
                continue;
            }
            long cr = zeroBytes(word ^ 0x0d0d0d0d0d0d0d0dL);
            long lf = zeroBytes(word ^ 0x0a0a0a0a0a0a0a0aL);
            if (lf != (cr << 8 | crBefore)) {
                return clean; // a bare CR or LF
            }
            if (noDotFirst && (zeroBytes(word ^ 0x2e2e2e2e2e2e2e2eL) & (lf << 8 | lfBefore)) != 0) {
                return clean;
            }
            if (lf != 0) {
                clean = i + ((Long.SIZE - 1 - Long.numberOfLeadingZeros(lf)) >>> 3) + 1;
            }
            crBefore = cr >>> 56;
            lfBefore = lf >>> 56;
        }
        return clean;
    }

    /** 0x80 in each byte of the result where {@code v}'s byte is zero, exactly (no borrow between bytes). */
    private static long zeroBytes(long v) {
        return ~(((v & 0x7f7f7f7f7f7f7f7fL) + 0x7f7f7f7f7f7f7f7fL) | v | 0x7f7f7f7f7f7f7f7fL);
    }

    /**
     * The index of the first CR or LF in {@code b[from, end)}, or {@code end}. Reads eight bytes at a time and
     * finds a matching byte with the "has zero byte" bit trick; the lowest match is exact, which is all we use.
     */
    static int indexOfLineBreak(byte[] b, int from, int end) {
        int i = from;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = (long) LONGS.get(b, i);
            long cr = word ^ 0x0d0d0d0d0d0d0d0dL;
            long lf = word ^ 0x0a0a0a0a0a0a0a0aL;
            long found = ((cr - 0x0101010101010101L) & ~cr | (lf - 0x0101010101010101L) & ~lf)
                    & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (b[i] == CR || b[i] == LF) {
                return i;
            }
        }
        return end;
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
