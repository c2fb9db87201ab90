package dev.jsmtp.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

/**
 * A MIME entity (RFC 2045 §2.4): header fields and a body, which is either octets in a transfer encoding or a
 * multipart (RFC 2046 §5.1) of further entities. Sizes are exact, so a whole message's size is known before it
 * is written whenever every attachment's size is.
 */
abstract class BodyPart {

    private static final byte[] CRLF = {'\r', '\n'};

    private final byte[] headers;

    BodyPart(String headers) {
        this.headers = headers.getBytes(StandardCharsets.UTF_8);
    }

    /** The size of header fields, blank line and body, in octets. */
    final OptionalLong size() {
        OptionalLong body = bodySize();
        return body.isPresent() ? OptionalLong.of(headers.length + 2L + body.getAsLong()) : OptionalLong.empty();
    }

    final void writeTo(OutputStream out) throws IOException {
        out.write(headers);
        out.write(CRLF);
        writeBody(out);
    }

    abstract OptionalLong bodySize();

    abstract void writeBody(OutputStream out) throws IOException;

    /** True when the body is empty or its last octets are a line break. */
    abstract boolean bodyEndsWithLineBreak();

    /** True when some body octets are above 127 (8bit transfer encoding). */
    abstract boolean hasEightBit();

    /** True when {@code boundary} occurs in an unencoded body within (RFC 2046 §5.1.1). */
    abstract boolean contains(byte[] boundary);

    /** Text encoded in memory. */
    static final class Encoded extends BodyPart {
        private final byte[] body;
        private final TransferEncoding encoding;

        Encoded(String headers, byte[] body, TransferEncoding encoding) {
            super(headers);
            this.body = body;
            this.encoding = encoding;
        }

        @Override
        OptionalLong bodySize() {
            return OptionalLong.of(body.length);
        }

        @Override
        void writeBody(OutputStream out) throws IOException {
            out.write(body);
        }

        @Override
        boolean bodyEndsWithLineBreak() {
            return body.length == 0 || body[body.length - 1] == '\n';
        }

        @Override
        boolean hasEightBit() {
            return encoding == TransferEncoding.EIGHT_BIT;
        }

        @Override
        boolean contains(byte[] boundary) {
            if (encoding != TransferEncoding.SEVEN_BIT && encoding != TransferEncoding.EIGHT_BIT) {
                return false;
            }
            outer:
            for (int i = 0; i + boundary.length <= body.length; i++) {
                for (int k = 0; k < boundary.length; k++) {
                    if (body[i + k] != boundary[k]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }
    }

    /** An attachment read and base64-encoded as it is written. */
    static final class Streamed extends BodyPart {
        private final Attachment attachment;

        Streamed(String headers, Attachment attachment) {
            super(headers);
            this.attachment = attachment;
        }

        @Override
        OptionalLong bodySize() {
            OptionalLong raw = attachment.size();
            return raw.isPresent() ? OptionalLong.of(TransferEncoding.base64Size(raw.getAsLong()))
                    : OptionalLong.empty();
        }

        @Override
        void writeBody(OutputStream out) throws IOException {
            long n;
            try (InputStream in = attachment.open(); OutputStream encoder = TransferEncoding.BASE64.encoder(out)) {
                n = in.transferTo(encoder);
            }
            if (attachment.size().isPresent() && attachment.size().getAsLong() != n) {
                throw new IOException("attachment '" + dev.jsmtp.Escaping.escape(attachment.fileName())
                        + "' yielded " + n + " octets but its size was declared as " + attachment.size().getAsLong()
                        + "; the message size announced to the server is now wrong");
            }
        }

        @Override
        boolean bodyEndsWithLineBreak() {
            return false;
        }

        @Override
        boolean hasEightBit() {
            return false;
        }

        @Override
        boolean contains(byte[] boundary) {
            return false; // base64 has no '_' or '=' followed by text
        }
    }

    /** A multipart body: each part after a delimiter line, then the close delimiter. */
    static final class Multipart extends BodyPart {
        private final byte[] delimiter;
        private final List<BodyPart> parts;

        Multipart(String headers, String boundary, List<BodyPart> parts) {
            super(headers);
            this.delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
            this.parts = List.copyOf(parts);
        }

        @Override
        OptionalLong bodySize() {
            long total = delimiter.length + 4L;
            for (BodyPart p : parts) {
                OptionalLong s = p.size();
                if (s.isEmpty()) {
                    return OptionalLong.empty();
                }
                total += delimiter.length + 2L + s.getAsLong() + 2;
            }
            return OptionalLong.of(total);
        }

        @Override
        void writeBody(OutputStream out) throws IOException {
            for (BodyPart p : parts) {
                out.write(delimiter);
                out.write(CRLF);
                p.writeTo(out);
                out.write(CRLF);
            }
            out.write(delimiter);
            out.write('-');
            out.write('-');
            out.write(CRLF);
        }

        @Override
        boolean bodyEndsWithLineBreak() {
            return true;
        }

        @Override
        boolean hasEightBit() {
            return parts.stream().anyMatch(BodyPart::hasEightBit);
        }

        @Override
        boolean contains(byte[] boundary) {
            return parts.stream().anyMatch(p -> p.contains(boundary));
        }
    }
}
