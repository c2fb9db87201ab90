package dev.jsmtp.message;

import dev.jsmtp.Escaping;
import dev.jsmtp.MessageContent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A file carried in a MIME body part (RFC 2183 Content-Disposition, RFC 2231 file name): its name, content type
 * and octets, read only when the message is written, so a large file or stream never sits in memory.
 */
public final class Attachment {

    private final String fileName;
    private final String contentType;
    private final MessageContent.StreamSupplier data;
    private final OptionalLong size;

    private Attachment(String fileName, String contentType, MessageContent.StreamSupplier data, OptionalLong size) {
        this.fileName = checkFileName(fileName);
        this.contentType = ContentTypes.check(contentType != null ? contentType : ContentTypes.guess(fileName, null));
        this.data = Objects.requireNonNull(data, "data");
        this.size = Objects.requireNonNull(size, "size");
        if (size.isPresent() && size.getAsLong() < 0) {
            throw new IllegalArgumentException("negative attachment size: " + size.getAsLong());
        }
    }

    /**
     * A file, named after its last path element, its type guessed from the name (and the file system).
     *
     * @throws IllegalArgumentException when the file is not a readable regular file
     */
    public static Attachment of(Path file) {
        return of(file, null);
    }

    /** A file with a given content type (null to guess). */
    public static Attachment of(Path file, String contentType) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("attachment is not a readable file: " + Escaping.escape(file.toString()));
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read attachment " + Escaping.escape(file.toString()) + ": "
                    + e.getMessage(), e);
        }
        String name = file.getFileName().toString();
        String type = contentType != null ? contentType : ContentTypes.guess(name, file);
        return new Attachment(name, type, () -> Files.newInputStream(file), OptionalLong.of(size));
    }

    /** Octets in memory (copied); {@code contentType} null to guess from the name. */
    public static Attachment of(String fileName, byte[] data, String contentType) {
        byte[] copy = data.clone();
        return new Attachment(fileName, contentType, () -> new ByteArrayInputStream(copy),
                OptionalLong.of(copy.length));
    }

    /**
     * Octets from a stream opened each time the message is written; {@code size} is the number of octets it
     * yields, or empty when unknown (then the message's size is unknown too). A stream that yields another
     * number of octets than declared fails the write.
     */
    public static Attachment of(String fileName, MessageContent.StreamSupplier data, String contentType,
                                OptionalLong size) {
        return new Attachment(fileName, contentType, data, size);
    }

    public String fileName() {
        return fileName;
    }

    /** The MIME type, such as {@code application/pdf}. */
    public String contentType() {
        return contentType;
    }

    /** The number of octets before encoding, when known. */
    public OptionalLong size() {
        return size;
    }

    /** Opens the octets. */
    public InputStream open() throws IOException {
        return data.open();
    }

    private static String checkFileName(String name) {
        Objects.requireNonNull(name, "fileName");
        if (name.isBlank()) {
            throw new IllegalArgumentException("attachment file name is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '/' || c == '\\') {
                throw new IllegalArgumentException("attachment file name contains a control character or a "
                        + "path separator: " + Escaping.escape(name));
            }
        }
        return name;
    }

    @Override
    public String toString() {
        return "Attachment[" + fileName + ", " + contentType + ", " + (size.isPresent() ? size.getAsLong()
                + " octets" : "size unknown") + "]";
    }
}
