package dev.jsmtp.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DotStuffingOutputStreamTest {

    static final List<String> HOSTILE = List.of("", ".", "\n", "\r", "\r\n", "\n.\n", "\r.\r", "\n.\r\n", "\r.\n",
            ".\r\n", "\r\n.\r\n", "a\r\n.\r\nMAIL FROM:<x@y>\r\n", "a\n.\nb", "a\r.\rb", "a\n.\r\nb", "a\r.\nb",
            "a.", "a\r\n.", "\n\r", "\r\r\n\n", "..", "..\r\n..", "a\r\n", "no final newline", "x\r", ". . .",
            "\r\n\r\n.\r\n\r\n", "\u00e9t\u00e9\n.\u00e9");

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "''                    | '.\\r\\n'",
        "'.'                   | '..\\r\\n.\\r\\n'",
        "'\\n.\\n'             | '\\r\\n..\\r\\n.\\r\\n'",
        "'\\r.\\r'             | '\\r\\n..\\r\\n.\\r\\n'",
        "'\\n.\\r\\n'          | '\\r\\n..\\r\\n.\\r\\n'",
        "'\\r.\\n'             | '\\r\\n..\\r\\n.\\r\\n'",
        "'a\\r\\n.\\r\\nb'     | 'a\\r\\n..\\r\\nb\\r\\n.\\r\\n'",
        "'bare\\nlf'           | 'bare\\r\\nlf\\r\\n.\\r\\n'",
        "'no final newline'    | 'no final newline\\r\\n.\\r\\n'",
        "'a\\r\\r\\nb'         | 'a\\r\\n\\r\\nb\\r\\n.\\r\\n'",
        "'\\n\\r'              | '\\r\\n\\r\\n.\\r\\n'",
        "'\\r\\n'              | '\\r\\n.\\r\\n'",
        "'..\\r\\n'            | '...\\r\\n.\\r\\n'",
        "'a.b\\r\\n.x'         | 'a.b\\r\\n..x\\r\\n.\\r\\n'",
    })
    void encodesAsDataContent(String input, String expected) throws IOException {
        String in = unescape(input);
        for (byte[][] pieces : splits(bytes(in))) {
            assertThat(text(stuff(pieces))).as(describe(pieces)).isEqualTo(unescape(expected));
        }
    }

    @Test
    void hostileInputsSplitAnywhereMatchTheReferenceAndCannotEndDataEarly() throws IOException {
        for (String input : HOSTILE) {
            byte[] in = input.getBytes(StandardCharsets.UTF_8);
            byte[] expected = DotUnstuffer.stuff(in);
            for (byte[][] pieces : splits(in)) {
                byte[] wire = stuff(pieces);
                assertThat(wire).as(describe(pieces)).isEqualTo(expected);
                assertThat(DotUnstuffer.endsDataEarly(wire)).as(describe(pieces)).isFalse();
                assertThat(DotUnstuffer.unstuff(wire)).isEqualTo(DotUnstuffer.normalize(in, true));
            }
            assertThat(stuffByteByByte(in)).as("write(int) for %s", input).isEqualTo(expected);
        }
    }

    @Test
    void randomContentWithRandomWriteSizesRoundTrips() throws IOException {
        Random random = new Random(5321);
        byte[] alphabet = {'.', '.', '\r', '\n', 'a', ' ', 0, (byte) 0xc3};
        for (int iteration = 0; iteration < 20_000; iteration++) {
            byte[] in = new byte[random.nextInt(40)];
            for (int i = 0; i < in.length; i++) {
                in[i] = alphabet[random.nextInt(alphabet.length)];
            }
            List<byte[]> pieces = new ArrayList<>();
            for (int at = 0; at < in.length; ) {
                int n = Math.min(in.length - at, random.nextInt(6));
                pieces.add(java.util.Arrays.copyOfRange(in, at, at + n));
                at += n;
            }
            byte[] wire = stuff(pieces.toArray(new byte[0][]));
            assertThat(DotUnstuffer.endsDataEarly(wire)).isFalse();
            assertThat(DotUnstuffer.unstuff(wire)).isEqualTo(DotUnstuffer.normalize(in, true));
            assertThat(wire).isEqualTo(DotUnstuffer.stuff(in));
        }
    }

    @Test
    void theWordAtATimeLineBreakSearchAgreesWithAPlainLoop() {
        Random random = new Random(3030);
        // Neighbours of CR and LF, bytes with the high bit set, and the bytes themselves.
        byte[] alphabet = {'\r', '\n', 0x0c, 0x0e, 0x0b, 0x09, (byte) 0x8d, (byte) 0x8a, (byte) 0xff, 0, 0x01, 'a'};
        for (int iteration = 0; iteration < 20_000; iteration++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int end = from + random.nextInt(b.length - from + 1);
            int expected = end;
            for (int i = from; i < end; i++) {
                if (b[i] == '\r' || b[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            assertThat(LineEndingOutputStream.indexOfLineBreak(b, from, end)).isEqualTo(expected);
        }
    }

    @Test
    void theWordAtATimeCleanLineRunStopsAtTheFirstLineThatNeedsAChange() {
        Random random = new Random(2920);
        byte[] alphabet = {'\r', '\n', '.', 'a', 0x0c, 0x0e, (byte) 0x8d, (byte) 0x8a, (byte) 0xae, 0};
        for (int iteration = 0; iteration < 50_000; iteration++) {
            byte[] b = lines(random, alphabet, random.nextInt(120));
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            // Only a line start can be asked about: move from to the start of its line.
            while (from > 0 && b[from - 1] != '\n') {
                from--;
            }
            int end = from + random.nextInt(b.length - from + 1);
            boolean noDot = random.nextBoolean();
            // The reference: whole lines, each ending in CRLF with no other CR or LF, no leading dot if asked.
            int cleanEnd = from;
            List<Integer> lineEnds = new ArrayList<>();
            for (int at = from; ; ) {
                int brk = LineEndingOutputStream.indexOfLineBreak(b, at, end);
                if (brk == end || b[brk] != '\r' || brk + 1 == end || b[brk + 1] != '\n'
                        || (noDot && b[at] == '.')) {
                    break;
                }
                at = cleanEnd = brk + 2;
                lineEnds.add(at);
            }
            int found = LineEndingOutputStream.cleanLines(b, from, end, noDot);
            // Never past a line that needs a change, always at a line end, and it sees every whole word before.
            int wordsEnd = from + (cleanEnd - from) / 8 * 8;
            int expectedAtLeast = from;
            for (int e : lineEnds) {
                if (e <= wordsEnd) {
                    expectedAtLeast = e;
                }
            }
            assertThat(found).as("from %d end %d", from, end).isBetween(expectedAtLeast, cleanEnd);
            assertThat(found == from || lineEnds.contains(found)).isTrue();
        }
    }

    @Test
    void randomLinesWithLongWritesRoundTrip() throws IOException {
        Random random = new Random(5322);
        byte[] alphabet = {'.', '\r', '\n', 'a', 0, (byte) 0xae, (byte) 0x8d};
        for (int iteration = 0; iteration < 5_000; iteration++) {
            byte[] in = lines(random, alphabet, random.nextInt(400));
            List<byte[]> pieces = new ArrayList<>();
            for (int at = 0; at < in.length; ) {
                int n = Math.min(in.length - at, random.nextInt(90));
                pieces.add(java.util.Arrays.copyOfRange(in, at, at + n));
                at += n;
            }
            byte[] wire = stuff(pieces.toArray(new byte[0][]));
            assertThat(wire).isEqualTo(DotUnstuffer.stuff(in));
            ByteArrayOutputStream crlf = new ByteArrayOutputStream();
            CrlfOutputStream normaliser = new CrlfOutputStream(crlf);
            for (byte[] piece : pieces) {
                normaliser.write(piece);
            }
            normaliser.finish();
            assertThat(crlf.toByteArray()).isEqualTo(DotUnstuffer.normalize(in, true));
        }
    }

    /** Mostly well-formed CRLF lines of random lengths, with an odd byte from {@code odd} now and then. */
    private static byte[] lines(Random random, byte[] odd, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            int kind = random.nextInt(30);
            if (kind == 0) {
                b[i] = odd[random.nextInt(odd.length)];
            } else if (kind < 4 && i + 1 < size) {
                b[i++] = '\r';
                b[i] = '\n';
            } else {
                b[i] = (byte) ('A' + random.nextInt(26));
            }
        }
        return b;
    }

    @Test
    void writesWithinALargerArrayUseOnlyTheGivenRange() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
        byte[] buffer = bytes("XX.a\nYY");
        out.write(buffer, 2, 3);
        out.finish();
        assertThat(text(sink.toByteArray())).isEqualTo("..a\r\n.\r\n");
    }

    @Test
    void finishIsIdempotentAndEndsTheStream() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
        out.write(bytes("body"));
        out.finish();
        out.finish();
        assertThat(text(sink.toByteArray())).isEqualTo("body\r\n.\r\n");
        assertThatThrownBy(() -> out.write('x')).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> out.write(bytes("x"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void neitherFinishNorCloseClosesTheConnectionAndCloseDoesNotEndTheData() throws IOException {
        RecordingStream sink = new RecordingStream();
        DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
        out.write(bytes("partial"));
        out.close();
        assertThat(text(sink.toByteArray())).isEqualTo("partial");
        assertThat(sink.flushed).isTrue();
        out.finish();
        assertThat(sink.closed).isFalse();
    }

    static byte[] stuff(byte[][] pieces) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
        for (byte[] piece : pieces) {
            out.write(piece);
        }
        out.finish();
        return sink.toByteArray();
    }

    private static byte[] stuffByteByByte(byte[] in) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
        for (byte b : in) {
            out.write(b);
        }
        out.finish();
        return sink.toByteArray();
    }

    /** Whole, one byte per write, cut once at every offset, and cut twice at every pair of offsets. */
    static List<byte[][]> splits(byte[] in) {
        List<byte[][]> all = new ArrayList<>();
        all.add(new byte[][] {in});
        byte[][] single = new byte[in.length][];
        for (int i = 0; i < in.length; i++) {
            single[i] = new byte[] {in[i]};
        }
        all.add(single);
        for (int a = 0; a <= in.length; a++) {
            all.add(new byte[][] {slice(in, 0, a), slice(in, a, in.length)});
            for (int b = a; b <= in.length; b++) {
                all.add(new byte[][] {slice(in, 0, a), slice(in, a, b), slice(in, b, in.length)});
            }
        }
        return all;
    }

    private static byte[] slice(byte[] in, int from, int to) {
        return java.util.Arrays.copyOfRange(in, from, to);
    }

    static String describe(byte[][] pieces) {
        StringBuilder s = new StringBuilder("writes");
        for (byte[] p : pieces) {
            s.append(" [").append(DotUnstuffer.show(p)).append(']');
        }
        return s.toString();
    }

    static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static final class RecordingStream extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean flushed;
        boolean closed;

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void flush() {
            flushed = true;
        }

        @Override
        public void close() {
            closed = true;
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
