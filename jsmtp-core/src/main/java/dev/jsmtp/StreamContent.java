package dev.jsmtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.OptionalLong;

/** Message content read from a stream supplier. */
record StreamContent(MessageContent.StreamSupplier stream, OptionalLong size, BodyType bodyType,
                     boolean requiresSmtpUtf8, boolean crlfLineEndings) implements MessageContent {

    StreamContent {
        Objects.requireNonNull(stream);
        Objects.requireNonNull(size);
        Objects.requireNonNull(bodyType);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        try (InputStream in = stream.open()) {
            in.transferTo(out);
        }
    }
}
