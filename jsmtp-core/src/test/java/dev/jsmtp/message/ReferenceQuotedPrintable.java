package dev.jsmtp.message;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The quoted-printable encoder (RFC 2045 §6.7) as it was before the table-driven rewrite, kept as the oracle that
 * the fast {@link QuotedPrintableOutputStream} must match octet for octet.
 */
final class ReferenceQuotedPrintable extends FilterOutputStream {

    private static final int MAX_CONTENT = 75; // plus the "=" of a soft break makes 76
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final boolean[] LITERAL = new boolean[256];

    static {
        for (int c = 33; c <= 126; c++) {
            LITERAL[c] = c != '=';
        }
    }

    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int column;
    private int pendingWhitespace = -1;
    private boolean lastWasCr;

    ReferenceQuotedPrintable(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        encode(b & 0xff);
    }

    /**
     * The hot path: a run of octets that stand for themselves (spaces and tabs included when a non-break follows)
     * is found with one table look-up per octet and copied in line-sized blocks. Everything else goes through
     * {@link #encode(int)}.
     */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i] & 0xff;
            if (pendingWhitespace >= 0 || lastWasCr || !LITERAL[c]) {
                encode(c);
                i++;
                continue;
            }
            int j = i + 1;
            while (j < end) {
                int d = b[j] & 0xff;
                if (LITERAL[d] || ((d == ' ' || d == '\t') && j + 1 < end && !isBreak(b[j + 1]))) {
                    j++;
                } else {
                    break;
                }
            }
            while (i < j) {
                if (pos > buf.length - MAX_CONTENT - 8) {
                    drain();
                }
                if (column >= MAX_CONTENT) {
                    softBreak();
                }
                int n = Math.min(MAX_CONTENT - column, j - i);
                System.arraycopy(b, i, buf, pos, n);
                pos += n;
                column += n;
                i += n;
            }
        }
    }

    private static boolean isBreak(byte b) {
        return b == '\r' || b == '\n';
    }

    private void encode(int c) throws IOException {
        if (pos > buf.length - 8) {
            drain();
        }
        if (c == '\n') {
            if (lastWasCr) {
                lastWasCr = false;
            } else {
                hardBreak();
            }
            return;
        }
        lastWasCr = false;
        if (c == '\r') {
            hardBreak();
            lastWasCr = true;
            return;
        }
        if (pendingWhitespace >= 0) {
            int ws = pendingWhitespace;
            pendingWhitespace = -1;
            literal(ws);
        }
        if (c == ' ' || c == '\t') {
            pendingWhitespace = c;
        } else if (LITERAL[c]) {
            literal(c);
        } else {
            escaped(c);
        }
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

    private void hardBreak() {
        if (pendingWhitespace >= 0) {
            escaped(pendingWhitespace);
            pendingWhitespace = -1;
        }
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
