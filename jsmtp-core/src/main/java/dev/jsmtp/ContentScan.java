package dev.jsmtp;

import java.io.IOException;
import java.io.InputStream;

/**
 * One pass over message octets that learns what MAIL must declare: the size after CRLF normalisation, whether the
 * body needs 8BITMIME or BINARYMIME (NUL, or a line over 998 octets), and whether the header section is non-ASCII.
 */
final class ContentScan {

    private static final int MAX_LINE = 998;

    private long size;
    private long octets;
    private boolean inHeader = true;
    private boolean headerNonAscii;
    private boolean bodyEightBit;
    private boolean binary;
    private int lineLength;
    private boolean lastWasCr;

    private ContentScan() {
    }

    static ContentScan of(byte[] b, int off, int len) {
        ContentScan scan = new ContentScan();
        scan.update(b, off, len);
        scan.finish();
        return scan;
    }

    static ContentScan of(InputStream in) throws IOException {
        ContentScan scan = new ContentScan();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
            scan.update(buf, 0, n);
        }
        scan.finish();
        return scan;
    }

    private void update(byte[] b, int off, int len) {
        octets += len;
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            if (c == '\n') {
                if (!lastWasCr) {
                    endLine();
                }
                lastWasCr = false;
                continue;
            }
            if (lastWasCr) {
                lastWasCr = false;
            }
            if (c == '\r') {
                endLine();
                lastWasCr = true;
                continue;
            }
            size++;
            lineLength++;
            if (lineLength > MAX_LINE) {
                binary = true;
            }
            if (c >= 0x80) {
                if (inHeader) {
                    headerNonAscii = true;
                } else {
                    bodyEightBit = true;
                }
            } else if (c == 0) {
                binary = true;
            }
        }
    }

    private void endLine() {
        if (inHeader && lineLength == 0) {
            inHeader = false;
        }
        size += 2;
        lineLength = 0;
    }

    private void finish() {
        if (lineLength > 0) {
            size += 2; // the wire layer ends the last line with CRLF
        }
    }

    long normalisedSize() {
        return size;
    }

    /** True when CRLF normalisation would change nothing: every line, the last too, already ends in CRLF. */
    boolean lineEndingsAreCrlf() {
        return size == octets;
    }

    BodyType bodyType() {
        return binary ? BodyType.BINARY_MIME : bodyEightBit ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT;
    }

    boolean headerNeedsSmtpUtf8() {
        return headerNonAscii;
    }
}
