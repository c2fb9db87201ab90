package dev.jsmtp.message;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A Content-Transfer-Encoding (RFC 2045 §6) and the rules for choosing one: 7bit when the text allows,
 * quoted-printable for mostly-ASCII text and for lines over 998 octets, base64 for binary and mostly non-ASCII
 * content, and 8bit only when the transport offers 8BITMIME (RFC 6152).
 */
enum TransferEncoding {
    SEVEN_BIT("7bit"),
    EIGHT_BIT("8bit"),
    QUOTED_PRINTABLE("quoted-printable"),
    BASE64("base64");

    /** RFC 5322 §2.1.1: no line may be longer than 998 octets, CRLF excluded. */
    static final int MAX_LINE = 998;
    private static final int BASE64_LINE = 76;

    private final String token;

    TransferEncoding(String token) {
        this.token = token;
    }

    /** The value of the Content-Transfer-Encoding field. */
    String token() {
        return token;
    }

    /** The encoding for text whose line breaks are already CRLF. */
    static TransferEncoding forText(byte[] text, boolean eightBitAllowed) {
        int nonAscii = 0;
        int controls = 0;
        int line = 0;
        int longest = 0;
        for (byte value : text) {
            int b = value & 0xff;
            if (b == '\r' || b == '\n') {
                line = 0;
                continue;
            }
            line++;
            longest = Math.max(longest, line);
            if (b >= 0x80) {
                nonAscii++;
            } else if (b == 0 || (b < 0x20 && b != '\t') || b == 0x7f) {
                controls++;
            }
        }
        if (longest <= MAX_LINE && controls == 0) {
            if (nonAscii == 0) {
                return SEVEN_BIT;
            }
            if (eightBitAllowed) {
                return EIGHT_BIT;
            }
        }
        long quotedPrintable = text.length + 2L * (nonAscii + controls);
        long base64 = base64Size(text.length);
        return quotedPrintable <= base64 ? QUOTED_PRINTABLE : BASE64;
    }

    /** The octets of {@code data} in this encoding. */
    byte[] encode(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + data.length / 3 + 16);
        try (OutputStream encoder = encoder(out)) {
            encoder.write(data);
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen in memory", e);
        }
        return out.toByteArray();
    }

    /**
     * A stream that encodes what is written to it into {@code out}; closing it ends the encoding and leaves
     * {@code out} open.
     */
    OutputStream encoder(OutputStream out) {
        if (this == BASE64) {
            return new Base64OutputStream(out);
        }
        OutputStream shield = new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
        return this == QUOTED_PRINTABLE ? new QuotedPrintableOutputStream(shield) : shield;
    }

    /** The size of {@code length} octets in base64 with CRLF every 76 characters and none after the last. */
    static long base64Size(long length) {
        long chars = (length + 2) / 3 * 4;
        return chars == 0 ? 0 : chars + 2 * ((chars - 1) / BASE64_LINE);
    }
}
