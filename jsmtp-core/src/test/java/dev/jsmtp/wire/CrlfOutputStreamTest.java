package dev.jsmtp.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static dev.jsmtp.wire.DotStuffingOutputStreamTest.bytes;
import static dev.jsmtp.wire.DotStuffingOutputStreamTest.describe;
import static dev.jsmtp.wire.DotStuffingOutputStreamTest.splits;
import static dev.jsmtp.wire.DotStuffingOutputStreamTest.text;
import static dev.jsmtp.wire.DotStuffingOutputStreamTest.unescape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CrlfOutputStreamTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "''                    | ''",
        "'.'                   | '.\\r\\n'",
        "'\\n.\\n'             | '\\r\\n.\\r\\n'",
        "'\\r.\\r'             | '\\r\\n.\\r\\n'",
        "'a\\rb\\nc\\r\\nd'    | 'a\\r\\nb\\r\\nc\\r\\nd\\r\\n'",
        "'\\r\\r\\n\\n'        | '\\r\\n\\r\\n\\r\\n'",
        "'\\n\\r'              | '\\r\\n\\r\\n'",
        "'x\\r'                | 'x\\r\\n'",
    })
    void normalisesLineEndingsWithoutStuffing(String input, String expected) throws IOException {
        for (byte[][] pieces : splits(bytes(unescape(input)))) {
            assertThat(text(normalize(pieces))).as(describe(pieces)).isEqualTo(unescape(expected));
        }
    }

    @Test
    void hostileInputsSplitAnywhereMatchTheReference() throws IOException {
        for (String input : DotStuffingOutputStreamTest.HOSTILE) {
            byte[] in = input.getBytes(StandardCharsets.UTF_8);
            for (byte[][] pieces : splits(in)) {
                assertThat(normalize(pieces)).as(describe(pieces)).isEqualTo(DotUnstuffer.normalize(in, true));
            }
        }
    }

    @Test
    void finishEndsTheStreamOnce() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        CrlfOutputStream out = new CrlfOutputStream(sink);
        out.write(bytes("a"));
        out.finish();
        out.finish();
        assertThat(text(sink.toByteArray())).isEqualTo("a\r\n");
        assertThatThrownBy(() -> out.write('b')).isInstanceOf(IllegalStateException.class);
    }

    private static byte[] normalize(byte[][] pieces) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        CrlfOutputStream out = new CrlfOutputStream(sink);
        for (byte[] piece : pieces) {
            out.write(piece);
        }
        out.finish();
        return sink.toByteArray();
    }
}
