package dev.jsmtp.hostile;

import dev.jsmtp.BodyType;
import dev.jsmtp.MessageContent;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/** Message bodies for the suite: large ones generated on the fly, and an independent model of the wire form. */
final class Bodies {

    private Bodies() {
    }

    /** A 7-bit message of exactly {@code size} octets, generated as it is read: nothing big is held in memory. */
    static MessageContent large(long size) {
        byte[] head = "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: big\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] line = (".stuffed? no, this line is 62 octets of body text, repeated.\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return MessageContent.of(() -> new InputStream() {
            long position;

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
                    long p = position + i;
                    b[off + i] = p < head.length ? head[(int) p] : line[(int) ((p - head.length) % line.length)];
                }
                position += n;
                return n;
            }
        }, OptionalLong.empty(), BodyType.SEVEN_BIT, false);
    }

    /**
     * The RFC 5321 §2.3.8 normal form of {@code input}, from the byte-at-a-time reference in the wire tests
     * (independent of the client's streams): CRLF, bare CR and bare LF each become CRLF, and an unterminated last
     * line gets a CRLF.
     */
    static byte[] crlfNormalised(byte[] input) {
        return dev.jsmtp.wire.DotUnstuffer.normalize(input, true);
    }

    /**
     * Decodes DATA content as a server does (RFC 5321 §4.5.2): strips the end marker, which must be the only
     * CRLF.CRLF, and removes the leading dot of each line; fails if the wire form is not CRLF-clean.
     */
    static byte[] undotted(byte[] wire) {
        String text = new String(wire, StandardCharsets.ISO_8859_1);
        assertCrlfClean(wire);
        String body;
        if (text.equals(".\r\n")) {
            body = "";
        } else {
            if (!text.endsWith("\r\n.\r\n")) {
                throw new AssertionError("DATA does not end with CRLF.CRLF");
            }
            body = text.substring(0, text.length() - 3);
            int first = ("\r\n" + body).indexOf("\r\n.\r\n");
            if (first >= 0) {
                throw new AssertionError("an end-of-data marker appears early, at octet " + first);
            }
        }
        StringBuilder out = new StringBuilder();
        for (String line : body.split("\r\n", -1)) {
            out.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
        }
        // split leaves one empty string after the final CRLF
        String decoded = out.substring(0, Math.max(0, out.length() - 2));
        return decoded.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Fails unless every CR is followed by LF and every LF preceded by CR. */
    static void assertCrlfClean(byte[] wire) {
        for (int i = 0; i < wire.length; i++) {
            if (wire[i] == '\r' && (i + 1 == wire.length || wire[i + 1] != '\n')) {
                throw new AssertionError("bare CR on the wire at octet " + i);
            }
            if (wire[i] == '\n' && (i == 0 || wire[i - 1] != '\r')) {
                throw new AssertionError("bare LF on the wire at octet " + i);
            }
        }
    }
}
