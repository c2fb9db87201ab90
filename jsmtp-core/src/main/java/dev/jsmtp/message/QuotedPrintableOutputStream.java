package dev.jsmtp.message;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A quoted-printable encoder for text (RFC 2045 §6.7): line breaks in the input (CRLF, CR or LF) become CRLF
 * hard breaks, lines are kept to 76 characters with soft breaks, and whitespace before a hard break is encoded
 * so no transport can strip it. {@link #finish()} ends the encoding without closing the underlying stream.
 *
 * <p>The encoding loop keeps its state in locals and writes into a local output array: one table look-up
 * classifies each octet, runs of literal octets are copied as they are scanned, and an escape is two look-ups in
 * a hex table. Only a whitespace or CR octet at the very end of a write carries state into the next write, since
 * what becomes of it depends on the octet after it.
 */
final class QuotedPrintableOutputStream extends FilterOutputStream {

    private static final int MAX_CONTENT = 75; // plus the "=" of a soft break makes 76
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    // The two line-break classes come last, so that "is a break" is one comparison.
    private static final byte LITERAL = 0;
    private static final byte WHITESPACE = 1;
    private static final byte ESCAPED = 2;
    private static final byte CR = 3;
    private static final byte LF = 4;
    private static final byte[] CLASS = new byte[256];

    static {
        java.util.Arrays.fill(CLASS, ESCAPED);
        for (int c = 33; c <= 126; c++) {
            CLASS[c] = c == '=' ? ESCAPED : LITERAL;
        }
        CLASS[' '] = WHITESPACE;
        CLASS['\t'] = WHITESPACE;
        CLASS['\r'] = CR;
        CLASS['\n'] = LF;
    }

    private static final int BUFFER = 16 * 1024;
    /** Room for the most one step of the loop writes: a soft break and a full line of literal octets. */
    private static final int LIMIT = BUFFER - 3 - MAX_CONTENT;

    private final byte[] buf = new byte[BUFFER];
    private final byte[] single = new byte[1];
    private int pos;
    private int column;
    /** A space or tab that ended the last write, written once the next octet shows whether a break follows. */
    private int pendingWhitespace = -1;
    /** The last write ended in CR, so an LF starting the next one is part of the same hard break. */
    private boolean lastWasCr;

    QuotedPrintableOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        single[0] = (byte) b;
        write(single, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return;
        }
        int i = off;
        int end = off + len;
        if (pos > LIMIT) {
            drain();
        }
        if (lastWasCr) {
            lastWasCr = false;
            if (b[i] == '\n') {
                i++;
            }
        } else if (pendingWhitespace >= 0) {
            int ws = pendingWhitespace;
            pendingWhitespace = -1;
            if (CLASS[b[i] & 0xff] >= CR) {
                escaped(ws);
            } else {
                literal(ws);
            }
        }
        encode(b, i, end);
    }

    /** The hot loop over octets that carry no state from before {@code i}. */
    private void encode(byte[] b, int i, int end) throws IOException {
        byte[] buf = this.buf;
        int pos = this.pos;
        int column = this.column;
        while (i < end) {
            if (pos > LIMIT) {
                out.write(buf, 0, pos);
                pos = 0;
            }
            int c = b[i] & 0xff;
            byte kind = CLASS[c];
            if (kind == LITERAL) {
                if (column == MAX_CONTENT) {
                    buf[pos] = '=';
                    buf[pos + 1] = '\r';
                    buf[pos + 2] = '\n';
                    pos += 3;
                    column = 0;
                }
                // Copy the run of literal octets (and spaces with a non-break after them) that fits the line.
                int stop = Math.min(end - 1, i + MAX_CONTENT - column);
                buf[pos++] = (byte) c;
                int j = i + 1;
                while (j < stop) {
                    byte d = b[j];
                    byte k = CLASS[d & 0xff];
                    if (k != LITERAL && (k != WHITESPACE || CLASS[b[j + 1] & 0xff] >= CR)) {
                        break;
                    }
                    buf[pos++] = d;
                    j++;
                }
                column += j - i;
                i = j;
                continue;
            }
            if (kind == ESCAPED) {
                if (column > MAX_CONTENT - 3) {
                    buf[pos] = '=';
                    buf[pos + 1] = '\r';
                    buf[pos + 2] = '\n';
                    pos += 3;
                    column = 0;
                }
                buf[pos] = '=';
                buf[pos + 1] = HEX[c >> 4];
                buf[pos + 2] = HEX[c & 15];
                pos += 3;
                column += 3;
                i++;
                continue;
            }
            this.pos = pos;
            this.column = column;
            i = encodeBreakOrWhitespace(b, i, end, kind, c);
            pos = this.pos;
            column = this.column;
        }
        this.pos = pos;
        this.column = column;
    }

    /** A CR, an LF, or a space or tab, which depends on the octet after it; returns the index after it. */
    private int encodeBreakOrWhitespace(byte[] b, int i, int end, byte kind, int c) {
        if (kind == WHITESPACE) {
            if (i + 1 == end) {
                pendingWhitespace = c;
            } else if (CLASS[b[i + 1] & 0xff] >= CR) {
                escaped(c);
            } else {
                literal(c);
            }
            return i + 1;
        }
        buf[pos] = '\r';
        buf[pos + 1] = '\n';
        pos += 2;
        column = 0;
        if (kind == CR) {
            if (i + 1 == end) {
                lastWasCr = true;
            } else if (b[i + 1] == '\n') {
                return i + 2;
            }
        }
        return i + 1;
    }

    private void literal(int c) {
        if (column + 1 > MAX_CONTENT) {
            softBreak();
        }
        buf[pos++] = (byte) c;
        column++;
    }

    private void escaped(int c) {
        if (column + 3 > MAX_CONTENT) {
            softBreak();
        }
        buf[pos++] = '=';
        buf[pos++] = HEX[c >> 4];
        buf[pos++] = HEX[c & 15];
        column += 3;
    }

    private void softBreak() {
        buf[pos++] = '=';
        buf[pos++] = '\r';
        buf[pos++] = '\n';
        column = 0;
    }

    private void drain() throws IOException {
        out.write(buf, 0, pos);
        pos = 0;
    }

    /** Encodes trailing whitespace and writes out what is buffered; the underlying stream stays open. */
    void finish() throws IOException {
        if (pos > LIMIT) {
            drain();
        }
        if (pendingWhitespace >= 0) {
            escaped(pendingWhitespace);
            pendingWhitespace = -1;
        }
        drain();
        out.flush();
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        finish();
        out.close();
    }
}
