package dev.jsmtp.cli;

import dev.jsmtp.BodyType;
import dev.jsmtp.MessageContent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * The generated message: a short header and CRLF lines of 76 letters and digits, exactly {@code size} octets
 * (or the header alone when {@code size} is smaller). Held in memory up to 1 MiB, streamed beyond.
 */
record LoadMessage(byte[] header, long size) {

    private static final int LINE = 78;
    private static final byte[] BLOCK = block();

    static LoadMessage of(String from, String to, long size) {
        byte[] header = ("From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: jsmtp load\r\n"
                + "Message-ID: <load@jsmtp.invalid>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        // A body of one octet could only be a lone CR or LF: make it a whole empty line.
        long total = size == header.length + 1 ? size + 1 : Math.max(size, header.length);
        return new LoadMessage(header, total);
    }

    MessageContent content() {
        if (size <= 1 << 20) {
            try {
                return MessageContent.of(stream().readAllBytes());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        // CRLF lines by construction (the sizes test checks it), so BDAT sends them without a line scan.
        return MessageContent.of(this::stream, OptionalLong.of(size), BodyType.SEVEN_BIT, false, true);
    }

    InputStream stream() {
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            /**
             * Writes straight from the header and the shared block (whole 64 KiB runs, no copy), so that what
             * is measured is the client and not this generator; only the last three octets go through read().
             */
            @Override
            public long transferTo(java.io.OutputStream out) throws IOException {
                long total = 0;
                long untouched = Math.min(size, Math.max(size - 3, header.length));
                while (position < untouched) {
                    long p = position;
                    int run;
                    if (p < header.length) {
                        run = (int) Math.min(untouched - p, header.length - p);
                        out.write(header, (int) p, run);
                    } else {
                        int at = (int) ((p - header.length) % BLOCK.length);
                        run = (int) Math.min(untouched - p, BLOCK.length - at);
                        out.write(BLOCK, at, run);
                    }
                    position += run;
                    total += run;
                }
                byte[] tail = new byte[3];
                for (int n; (n = read(tail, 0, tail.length)) > 0; total += n) {
                    out.write(tail, 0, n);
                }
                return total;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - position);
                for (int done = 0; done < n; ) {
                    long p = position + done;
                    int run;
                    if (p < header.length) {
                        run = (int) Math.min(n - done, header.length - p);
                        System.arraycopy(header, (int) p, b, off + done, run);
                    } else {
                        int at = (int) ((p - header.length) % BLOCK.length);
                        run = Math.min(n - done, BLOCK.length - at);
                        System.arraycopy(BLOCK, at, b, off + done, run);
                    }
                    done += run;
                }
                finishLastLine(b, off, n);
                position += n;
                return n;
            }

            /** The last two octets are CRLF, and the one before them is not a lone CR. */
            private void finishLastLine(byte[] b, int off, int n) {
                for (long p = Math.max(position, Math.max(size - 3, header.length)); p < position + n; p++) {
                    int i = off + (int) (p - position);
                    if (p == size - 1) {
                        b[i] = '\n';
                    } else if (p == size - 2) {
                        b[i] = '\r';
                    } else if (b[i] == '\r') {
                        b[i] = 'x';
                    }
                }
            }
        };
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
