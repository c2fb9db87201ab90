package dev.jsmtp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MessageContentTest {

    @Test
    void sizeCountsCrlfNormalisedOctets() {
        MessageContent c = MessageContent.of("Subject: x\n\nline\rmore\r\nend");
        // "Subject: x\r\n\r\nline\r\nmore\r\nend\r\n"
        assertThat(c.size()).hasValue(31);
        assertThat(c.bodyType()).isEqualTo(BodyType.SEVEN_BIT);
        assertThat(c.requiresSmtpUtf8()).isFalse();
    }

    @Test
    void detectsEightBitBodyAndUtf8Header() {
        assertThat(MessageContent.of("Subject: x\r\n\r\ncafé\r\n").bodyType()).isEqualTo(BodyType.EIGHT_BIT_MIME);
        assertThat(MessageContent.of("Subject: x\r\n\r\ncafé\r\n").requiresSmtpUtf8()).isFalse();
        assertThat(MessageContent.of("Subject: café\r\n\r\nx\r\n").requiresSmtpUtf8()).isTrue();
    }

    @Test
    void nulOrOverlongLineIsBinary() {
        assertThat(MessageContent.of("Subject: x\r\n\r\na\u0000b\r\n").bodyType()).isEqualTo(BodyType.BINARY_MIME);
        assertThat(MessageContent.of("Subject: x\r\n\r\n" + "a".repeat(999) + "\r\n").bodyType())
                .isEqualTo(BodyType.BINARY_MIME);
        assertThat(MessageContent.of("Subject: x\r\n\r\n" + "a".repeat(998) + "\r\n").bodyType())
                .isEqualTo(BodyType.SEVEN_BIT);
    }

    @Test
    void knowsWhenItsOctetsAreAlreadyInCrlfLines() throws Exception {
        assertThat(MessageContent.of("Subject: x\r\n\r\nbody\r\n").crlfLineEndings()).isTrue();
        assertThat(MessageContent.of("").crlfLineEndings()).isTrue();
        assertThat(MessageContent.of("Subject: x\r\n\r\nbare\nLF\r\n").crlfLineEndings()).isFalse();
        assertThat(MessageContent.of("Subject: x\r\n\r\nlone\rCR\r\n").crlfLineEndings()).isFalse();
        assertThat(MessageContent.of("Subject: x\r\n\r\nno final break").crlfLineEndings()).isFalse();
        java.nio.file.Path file = java.nio.file.Files.createTempFile("crlf", ".eml");
        try {
            java.nio.file.Files.writeString(file, "Subject: x\r\n\r\nbody\r\n");
            assertThat(MessageContent.of(file).crlfLineEndings()).isTrue();
            java.nio.file.Files.writeString(file, "Subject: x\n\nbody\n");
            assertThat(MessageContent.of(file).crlfLineEndings()).isFalse();
        } finally {
            java.nio.file.Files.delete(file);
        }
        // A stream is not read ahead: only its supplier can say.
        MessageContent.StreamSupplier stream = () -> new java.io.ByteArrayInputStream(new byte[0]);
        assertThat(MessageContent.of(stream, java.util.OptionalLong.empty(), BodyType.SEVEN_BIT, false)
                .crlfLineEndings()).isFalse();
        assertThat(MessageContent.of(stream, java.util.OptionalLong.empty(), BodyType.SEVEN_BIT, false, true)
                .crlfLineEndings()).isTrue();
    }

    @Test
    void writesTheBytesAgainForRetries() throws Exception {
        MessageContent c = MessageContent.of("Subject: x\r\n\r\nbody\r\n");
        for (int i = 0; i < 2; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            c.writeTo(out);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Subject: x\r\n\r\nbody\r\n");
        }
    }
}
