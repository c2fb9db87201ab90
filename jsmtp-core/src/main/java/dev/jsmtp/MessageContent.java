package dev.jsmtp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.OptionalLong;

/**
 * The octets of one RFC 5322 message as handed to DATA or BDAT, with what the transaction must declare about
 * them: the size (RFC 1870), the body type (RFC 6152, RFC 3030) and whether the header section is UTF-8
 * (RFC 6532). Line endings may be anything: the wire layer turns them into CRLF and dot-stuffs.
 */
public interface MessageContent {

    /** Writes the message; may be called again for a retry. */
    void writeTo(OutputStream out) throws IOException;

    /** The size in octets after CRLF normalisation, when known in advance. */
    OptionalLong size();

    /** The kind of octets in the body. */
    BodyType bodyType();

    /** True when the header section has non-ASCII characters, which only SMTPUTF8 may carry. */
    boolean requiresSmtpUtf8();

    /**
     * True when the octets are already in SMTP's line format: every line, the last too, ends in CRLF and no CR or
     * LF stands alone (RFC 5321 §2.3.8). A BDAT transfer (RFC 3030), which needs no dot-stuffing, then sends them
     * without looking for line breaks, which is most of the client's own work on a large message. Content that
     * says so wrongly is sent as it is. False unless the factory scanned the octets or the caller said so.
     */
    default boolean crlfLineEndings() {
        return false;
    }

    /**
     * The content to send to a server with these extensions. Composed messages override this to use 8-bit
     * bodies when 8BITMIME is offered and UTF-8 headers when SMTPUTF8 is (RFC 6152, RFC 6532); fixed octets
     * are sent as they are.
     */
    default MessageContent adaptTo(Extensions extensions) {
        return this;
    }

    /** Supplies a fresh stream of the content each time it is asked. */
    @FunctionalInterface
    interface StreamSupplier {
        InputStream open() throws IOException;
    }

    /** The given octets; size, body type and header charset are read from them. */
    static MessageContent of(byte[] message) {
        byte[] copy = message.clone();
        ContentScan scan = ContentScan.of(copy, 0, copy.length);
        return new StreamContent(() -> new ByteArrayInputStream(copy), OptionalLong.of(scan.normalisedSize()),
                scan.bodyType(), scan.headerNeedsSmtpUtf8(), scan.lineEndingsAreCrlf());
    }

    /** A message written as text in UTF-8. */
    static MessageContent of(String message) {
        return of(message.getBytes(StandardCharsets.UTF_8));
    }

    /** A file holding a message; it is read once now to learn its size and body type, then streamed. */
    static MessageContent of(java.nio.file.Path file) throws IOException {
        ContentScan scan;
        try (InputStream in = Files.newInputStream(file)) {
            scan = ContentScan.of(in);
        }
        return new StreamContent(() -> Files.newInputStream(file), OptionalLong.of(scan.normalisedSize()),
                scan.bodyType(), scan.headerNeedsSmtpUtf8(), scan.lineEndingsAreCrlf());
    }

    /** A stream whose properties the caller states; {@code size} may be empty when unknown. */
    static MessageContent of(StreamSupplier stream, OptionalLong size, BodyType bodyType, boolean smtpUtf8) {
        return new StreamContent(stream, size, bodyType, smtpUtf8, false);
    }

    /**
     * As {@link #of(StreamSupplier, OptionalLong, BodyType, boolean)}, for a stream the caller knows to be in
     * CRLF line format ({@link #crlfLineEndings()}), such as one it generates. With a size, BDAT announces chunks
     * before their octets are read, so a stream that ends short of its size fails the send and closes the
     * connection (the message is not delivered); one that runs longer is still sent whole.
     */
    static MessageContent of(StreamSupplier stream, OptionalLong size, BodyType bodyType, boolean smtpUtf8,
                             boolean crlfLineEndings) {
        return new StreamContent(stream, size, bodyType, smtpUtf8, crlfLineEndings);
    }
}
