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

    /**
     * Octet for octet the output of the encoder this one replaced, on octets biased towards the hard cases
     * (whitespace next to breaks, CR LF split across writes, escapes at the line limit), however the input is
     * split into writes, single-octet writes and flushes; and an independent decoder gets the input back.
     */
    @Test
    void matchesTheReferenceEncoderOnRandomOctetsAndRandomWriteSplits() throws IOException {
        Random random = new Random(2045);
        byte[] common = {'a', 'Z', '.', '-', ' ', ' ', '\t', '\r', '\n', '=', 0, 0x7f, (byte) 0xc3, (byte) 0xff};
        for (int round = 0; round < 2000; round++) {
            ByteArrayOutputStream input = new ByteArrayOutputStream();
            int length = random.nextInt(round < 1500 ? 400 : 40_000);
            while (input.size() < length) {
                int kind = random.nextInt(20);
                if (kind == 0) {
                    input.writeBytes("x".repeat(random.nextInt(200)).getBytes(StandardCharsets.US_ASCII));
                } else if (kind == 1) {
                    input.writeBytes(" ".repeat(random.nextInt(90)).getBytes(StandardCharsets.US_ASCII));
                } else if (kind == 2) {
                    input.write(random.nextInt(256));
                } else {
                    input.write(common[random.nextInt(common.length)]);
                }
            }
            byte[] raw = input.toByteArray();
            byte[] expected = reference(raw);
            byte[] actual = encodeInRandomPieces(raw, random);
            assertThat(new String(actual, StandardCharsets.ISO_8859_1)).as("round %d, %d octets", round, raw.length)
                    .isEqualTo(new String(expected, StandardCharsets.ISO_8859_1));
            assertLegal(actual);
            assertThat(decode(actual)).isEqualTo(crlf(raw));
        }
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

    @Test
    void aCrAndLfSplitAcrossWritesMakeOneHardBreak() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.io.OutputStream qp = TransferEncoding.QUOTED_PRINTABLE.encoder(out)) {
            qp.write("a \r".getBytes(StandardCharsets.US_ASCII));
            qp.write("\nb\t".getBytes(StandardCharsets.US_ASCII));
            qp.flush();
            qp.write("\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("a=20\r\nb=09\r\n");
    }

    private static byte[] reference(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReferenceQuotedPrintable qp = new ReferenceQuotedPrintable(out);
        qp.write(raw, 0, raw.length);
        qp.finish();
        return out.toByteArray();
    }

    private static byte[] encodeInRandomPieces(byte[] raw, Random random) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.io.OutputStream qp = TransferEncoding.QUOTED_PRINTABLE.encoder(out)) {
            int i = 0;
            while (i < raw.length) {
                int kind = random.nextInt(8);
                if (kind == 0) {
                    qp.write(raw[i++]);
                } else if (kind == 1) {
                    qp.flush();
                } else {
                    int n = Math.min(raw.length - i, random.nextInt(kind == 2 ? 70_000 : 100));
                    byte[] padded = new byte[n + 6];
                    System.arraycopy(raw, i, padded, 3, n);
                    qp.write(padded, 3, n);
                    i += n;
                }
            }
        }
        return out.toByteArray();
    }

    /** What decoding gives back: every CRLF, bare CR and bare LF of the input as CRLF. */
    private static byte[] crlf(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\r' || raw[i] == '\n') {
                out.write('\r');
                out.write('\n');
                if (raw[i] == '\r' && i + 1 < raw.length && raw[i + 1] == '\n') {
                    i++;
                }
            } else {
                out.write(raw[i]);
            }
        }
        return out.toByteArray();
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
