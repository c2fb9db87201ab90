package dev.jsmtp.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads octets as lines ended by CRLF, LF or CR. Up to {@link #INSPECTED} octets of each line are held for
 * inspection (headers, boundaries); the rest of a longer line is streamed with {@link #rest}, so a line of any
 * length passes in bounded memory.
 */
final class LineReader {

    static final int INSPECTED = 1000;

    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    private final byte[] line = new byte[INSPECTED];
    private int lineLength;
    private boolean truncated;
    private boolean nul;
    private long number;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** Reads the next line; false at the end of input. A last line without a line break is still a line. */
    boolean next() throws IOException {
        if (truncated) {
            rest(null);
        }
        lineLength = 0;
        nul = false;
        if (!fill()) {
            return false;
        }
        number++;
        while (true) {
            if (!fill()) {
                return true;
            }
            byte b = buf[pos++];
            if (b == '\n') {
                return true;
            }
            if (b == '\r') {
                if (fill() && buf[pos] == '\n') {
                    pos++;
                }
                return true;
            }
            if (lineLength == INSPECTED) {
                pos--;
                truncated = true;
                return true;
            }
            if (b == 0) {
                nul = true;
            }
            line[lineLength++] = b;
        }
    }

    /** The held octets of the current line (all of it unless {@link #isTruncated()}). */
    byte[] held() {
        return line;
    }

    int heldLength() {
        return lineLength;
    }

    /** True when the line goes on past the held octets. */
    boolean isTruncated() {
        return truncated;
    }

    /** True when the line seen so far has a NUL octet. */
    boolean hasNul() {
        return nul;
    }

    /** The 1-based number of the current line. */
    long number() {
        return number;
    }

    /** Writes the held octets and the rest of the line to {@code out} (null to count only); returns the length. */
    long writeLine(OutputStream out) throws IOException {
        if (out != null) {
            out.write(line, 0, lineLength);
        }
        return lineLength + rest(out);
    }

    private long rest(OutputStream out) throws IOException {
        long n = 0;
        while (truncated) {
            if (!fill()) {
                truncated = false;
                break;
            }
            int i = pos;
            while (i < limit && buf[i] != '\n' && buf[i] != '\r') {
                if (buf[i] == 0) {
                    nul = true;
                }
                i++;
            }
            if (out != null) {
                out.write(buf, pos, i - pos);
            }
            n += i - pos;
            pos = i;
            if (i < limit) {
                truncated = false;
                byte b = buf[pos++];
                if (b == '\r' && fill() && buf[pos] == '\n') {
                    pos++;
                }
            }
        }
        return n;
    }

    private boolean fill() throws IOException {
        while (pos >= limit) {
            int n = in.read(buf);
            if (n < 0) {
                pos = 0;
                limit = 0;
                return false;
            }
            pos = 0;
            limit = n;
        }
        return true;
    }
}
