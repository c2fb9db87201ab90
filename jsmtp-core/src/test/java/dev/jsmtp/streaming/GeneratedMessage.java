package dev.jsmtp.streaming;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A message of exactly {@code size} octets made up on the fly: a header section, then 78-octet CRLF lines,
 * the last one shortened to fit. Nothing is held but one 64 KiB block, so a 1 GiB message costs no heap.
 */
final class GeneratedMessage extends InputStream {

    private static final byte[] HEADER = "Subject: a large message\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int LINE = 78;

    private final long size;
    private final byte[] block;
    private long position;

    GeneratedMessage(long size) {
        if (size < HEADER.length + 2) {
            throw new IllegalArgumentException("too small: " + size);
        }
        this.size = size;
        this.block = new byte[LINE * 840];
        for (int i = 0; i < block.length; i++) {
            int column = i % LINE;
            block[i] = (byte) (column == LINE - 2 ? '\r' : column == LINE - 1 ? '\n' : 'a' + (i / LINE) % 26);
        }
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(len, size - position);
        for (int i = 0; i < n; i++) {
            b[off + i] = byteAt(position + i);
        }
        position += n;
        return n;
    }

    private byte byteAt(long p) {
        if (p < HEADER.length) {
            return HEADER[(int) p];
        }
        if (p == size - 2) {
            return '\r';
        }
        if (p == size - 1) {
            return '\n';
        }
        byte b = block[(int) ((p - HEADER.length) % block.length)];
        // A CR or LF from the pattern just before the forced final CRLF would make a bare line end; avoid it.
        return p >= size - 2 - LINE && (b == '\r' || b == '\n') ? (byte) 'z' : b;
    }
}
