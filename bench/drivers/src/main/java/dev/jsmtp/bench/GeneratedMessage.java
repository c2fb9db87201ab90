package dev.jsmtp.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The same message {@code jsmtp load} generates (its {@code LoadMessage}): a short header, then CRLF lines of 76
 * letters and digits, exactly {@code size} octets, ending in CRLF. Written in blocks, never held whole.
 */
final class GeneratedMessage {

    private static final int LINE = 78;
    private static final byte[] BLOCK = block();

    private final byte[] header;
    private final long size;

    GeneratedMessage(String from, String to, long size) {
        header = ("From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: jsmtp load\r\n"
                + "Message-ID: <load@jsmtp.invalid>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        this.size = size == header.length + 1 ? size + 1 : Math.max(size, header.length);
    }

    long size() {
        return size;
    }

    /** Writes the message in blocks of at most 64 KiB. */
    void writeTo(OutputStream out) throws IOException {
        out.write(header);
        long body = size - header.length;
        if (body == 0) {
            return;
        }
        long filler = body - 2;
        long written = 0;
        byte[] buffer = BLOCK.clone();
        while (written < filler) {
            int n = (int) Math.min(buffer.length, filler - written);
            if (written + n == filler && n > 0 && buffer[n - 1] == '\r') {
                // No lone CR before the final CRLF.
                byte[] last = java.util.Arrays.copyOf(buffer, n);
                last[n - 1] = 'x';
                out.write(last, 0, n);
            } else {
                out.write(buffer, 0, n);
            }
            written += n;
        }
        out.write('\r');
        out.write('\n');
    }

    byte[] toByteArray() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) size);
        writeTo(out);
        return out.toByteArray();
    }

    private static byte[] block() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        byte[] block = new byte[LINE * 840];
        for (int i = 0; i < block.length; i++) {
            int column = i % LINE;
            block[i] = (byte) (column == LINE - 2 ? '\r' : column == LINE - 1 ? '\n'
                    : alphabet.charAt((i / LINE + column) % alphabet.length()));
        }
        return block;
    }
}
