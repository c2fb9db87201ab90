package dev.jsmtp.message;

import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class QuotedPrintableOutputStreamTest {

    @Test
    void randomTextRoundTripsThroughAnIndependentDecoder() throws IOException {
        Random random = new Random(42);
        String alphabet = "abc XYZ=\t.é中😀\n\r\n";
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(3000);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                if (random.nextInt(50) == 0) {
                    text.append("x".repeat(random.nextInt(300)));
                }
            }
            String input = MimeWriter.crlf(text.toString()).replace("\uD83D", "").replace("\uDE00", "");
            byte[] raw = input.getBytes(StandardCharsets.UTF_8);
            byte[] encoded = TransferEncoding.QUOTED_PRINTABLE.encode(raw);
            assertLegal(encoded);
            assertThat(decode(encoded)).isEqualTo(raw);
        }
    }

    @Test
    void outputDoesNotDependOnHowTheInputIsSplitIntoWrites() throws IOException {
        Random random = new Random(7);
        byte[] text = MimeWriter.crlf("a b  c\t\nd =e é \r\n".repeat(300) + "x".repeat(500) + " \n end ")
                .getBytes(StandardCharsets.UTF_8);
        byte[] whole = TransferEncoding.QUOTED_PRINTABLE.encode(text);
        for (int round = 0; round < 50; round++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (java.io.OutputStream qp = TransferEncoding.QUOTED_PRINTABLE.encoder(out)) {
                int i = 0;
                while (i < text.length) {
                    int n = Math.min(text.length - i, random.nextInt(5) == 0 ? 1 : random.nextInt(200));
                    if (n == 1) {
                        qp.write(text[i]);
                    } else {
                        qp.write(text, i, n);
                    }
                    i += n;
                }
            }
            assertThat(out.toByteArray()).isEqualTo(whole);
        }
        assertThat(decode(whole)).isEqualTo(text);
    }

    @Test
    void whitespaceBeforeALineBreakOrTheEndIsEncoded() {
        assertThat(encode("trailing \r\ntab\t\r\nend ")).isEqualTo("trailing=20\r\ntab=09\r\nend=20");
    }

    @Test
    void bareLfAndBareCrBecomeHardLineBreaks() {
        assertThat(encode("a\nb\rc\r\nd")).isEqualTo("a\r\nb\r\nc\r\nd");
    }

    @Test
    void longLinesGetSoftBreaksAndNoEscapeIsSplit() throws IOException {
        String input = "é".repeat(100);
        byte[] encoded = TransferEncoding.QUOTED_PRINTABLE.encode(input.getBytes(StandardCharsets.UTF_8));
        assertLegal(encoded);
        for (String line : new String(encoded, StandardCharsets.US_ASCII).split("\r\n")) {
            assertThat(line).matches("(=[0-9A-F]{2})*=?");
        }
        assertThat(new String(decode(encoded), StandardCharsets.UTF_8)).isEqualTo(input);
    }

    @Test
    void equalsSignIsEscaped() {
        assertThat(encode("a=b")).isEqualTo("a=3Db");
    }

    private static String encode(String s) {
        return new String(TransferEncoding.QUOTED_PRINTABLE.encode(s.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.US_ASCII);
    }

    private static byte[] decode(byte[] encoded) throws IOException {
        try (QuotedPrintableInputStream in = new QuotedPrintableInputStream(new ByteArrayInputStream(encoded),
                true)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /** Printable ASCII lines of at most 76 characters, no whitespace before a line break. */
    private static void assertLegal(byte[] encoded) {
        String s = new String(encoded, StandardCharsets.US_ASCII);
        for (String line : s.split("\r\n", -1)) {
            assertThat(line.length()).isLessThanOrEqualTo(76);
            assertThat(line).doesNotEndWith(" ").doesNotEndWith("\t").doesNotContain("\r", "\n");
            assertThat(line.chars().allMatch(c -> c == '\t' || (c >= 32 && c < 127))).isTrue();
        }
    }
}
