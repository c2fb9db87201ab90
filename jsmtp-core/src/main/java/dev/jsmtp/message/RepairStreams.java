package dev.jsmtp.message;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Streams that shorten the lines of an already-encoded body without changing what it decodes to: base64
 * re-wrapped at 76 characters (RFC 2045 §6.8 ignores line breaks), and quoted-printable with soft line breaks
 * added between escapes (§6.7 rule 5). Closing them leaves the underlying stream open.
 */
final class RepairStreams {

    private static final int QP_CONTENT = 75;
    private static final int BASE64_LINE = 76;

    private RepairStreams() {
    }

    /** Base64 text with its line breaks dropped and new ones every 76 characters. */
    static final class Base64Rewrap extends FilterOutputStream {
        private int column;

        Base64Rewrap(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            boolean alphabet = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                    || b == '+' || b == '/' || b == '=';
            if (!alphabet) {
                return; // RFC 2045 §6.8: decoders ignore characters outside the alphabet
            }
            if (column == BASE64_LINE) {
                out.write('\r');
                out.write('\n');
                column = 0;
            }
            out.write(b);
            column++;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** Quoted-printable text with soft breaks added so no line passes 76 characters. */
    static final class SoftBreaks extends FilterOutputStream {
        private int column;
        private int escapeLeft;

        SoftBreaks(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (b == '\r' || b == '\n') {
                out.write(b);
                column = 0;
                escapeLeft = 0;
                return;
            }
            if (escapeLeft > 0) {
                escapeLeft--;
            } else {
                int width = b == '=' ? 3 : 1;
                if (column + width > QP_CONTENT) {
                    out.write('=');
                    out.write('\r');
                    out.write('\n');
                    column = 0;
                }
                if (b == '=') {
                    escapeLeft = 2;
                }
            }
            out.write(b);
            column++;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
