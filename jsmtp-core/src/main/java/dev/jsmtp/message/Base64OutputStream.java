package dev.jsmtp.message;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * A base64 encoder for a body (RFC 2045 §6.8) whose output is byte for byte that of
 * {@code Base64.getMimeEncoder()}: 76-character lines separated by CRLF, none after the last.
 * Closing it ends the encoding (with padding) and leaves the underlying stream open.
 *
 * <p>The JDK's MIME encoder calls its block encoder once per 57-octet line; where that block encoder is an
 * intrinsic (Java 25 with AVX2; Java 17 only with AVX-512) the per-line call costs far more than the encoding.
 * This stream gathers input into a block of {@value #LINES} lines, has the JDK's basic encoder encode the whole
 * block in one call, and then only copies the 76-character lines out between CRLFs.
 */
final class Base64OutputStream extends OutputStream {

    private static final int LINE_OCTETS = 57;
    private static final int LINE_CHARS = 76;
    static final int LINES = 512;
    private static final int BLOCK = LINES * LINE_OCTETS;

    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private final OutputStream out;
    private final byte[] block = new byte[BLOCK];
    private final byte[] chars = new byte[LINES * LINE_CHARS];
    private final byte[] lines = new byte[LINES * (LINE_CHARS + 2)];
    private int filled;
    /** Whether a line has been written, so that the next one starts with CRLF. */
    private boolean started;
    private boolean closed;

    Base64OutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        block[filled++] = (byte) b;
        if (filled == BLOCK) {
            encodeBlock();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        while (len > 0) {
            int n = Math.min(len, BLOCK - filled);
            System.arraycopy(b, off, block, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BLOCK) {
                encodeBlock();
            }
        }
    }

    private void encodeBlock() throws IOException {
        BASE64.encode(block, chars);
        filled = 0;
        byte[] lines = this.lines;
        int p = 0;
        if (started) {
            lines[p++] = '\r';
            lines[p++] = '\n';
        }
        started = true;
        // A constant length lets the JIT copy each line inline.
        System.arraycopy(chars, 0, lines, p, LINE_CHARS);
        p += LINE_CHARS;
        for (int i = LINE_CHARS; i < LINES * LINE_CHARS; i += LINE_CHARS) {
            lines[p] = '\r';
            lines[p + 1] = '\n';
            System.arraycopy(chars, i, lines, p + 2, LINE_CHARS);
            p += LINE_CHARS + 2;
        }
        out.write(lines, 0, p);
    }

    /** Copies {@code count} characters of {@code encoded} into {@link #lines}, CRLF before all but the first. */
    private int layOut(byte[] encoded, int count) {
        int p = 0;
        for (int i = 0; i < count; i += LINE_CHARS) {
            if (started) {
                lines[p++] = '\r';
                lines[p++] = '\n';
            }
            started = true;
            int n = Math.min(LINE_CHARS, count - i);
            System.arraycopy(encoded, i, lines, p, n);
            p += n;
        }
        return p;
    }

    /** Writes out the whole lines gathered so far; a partial line waits, since only the last may be padded. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        int whole = filled / LINE_OCTETS * LINE_OCTETS;
        if (whole > 0) {
            writeEncoded(whole);
            System.arraycopy(block, whole, block, 0, filled - whole);
            filled -= whole;
        }
        out.flush();
    }

    /** Encodes the rest, padded, and writes it out; the underlying stream stays open. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (filled > 0) {
            writeEncoded(filled);
            filled = 0;
        }
        out.flush();
    }

    /** The slow path for a part of a block: flush and close only, so the allocation does not matter. */
    private void writeEncoded(int length) throws IOException {
        ByteBuffer encoded = BASE64.encode(ByteBuffer.wrap(block, 0, length));
        out.write(lines, 0, layOut(encoded.array(), encoded.remaining()));
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("base64 stream already closed");
        }
    }
}
