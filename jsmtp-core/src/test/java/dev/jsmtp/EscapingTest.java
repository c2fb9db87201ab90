package dev.jsmtp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class EscapingTest {

    @Test
    void escapesTerminalControlSequences() {
        String hostile = "250 ok\u001b]0;owned\u0007\u001b[2J\r\n\u009b31m";
        String safe = Escaping.escape(hostile);
        assertThat(safe).doesNotContainPattern("[\\x00-\\x1f\\x7f-\\x9f]");
        assertThat(safe).isEqualTo("250 ok\\x1B]0;owned\\x07\\x1B[2J\\r\\n\\u+009B31m");
    }

    @Test
    void escapesBidiOverrides() {
        assertThat(Escaping.escape("a\u202eb")).isEqualTo("a\\u+202Eb");
    }

    @Test
    void keepsPrintableUnicode() {
        assertThat(Escaping.escape("從零開始 ✉")).isEqualTo("從零開始 ✉");
    }

    @Test
    void bytesKeepValidUtf8AndEscapeTheRest() {
        byte[] b = "é\u0000".getBytes(StandardCharsets.UTF_8);
        byte[] withInvalid = new byte[b.length + 1];
        System.arraycopy(b, 0, withInvalid, 0, b.length);
        withInvalid[b.length] = (byte) 0xff;
        assertThat(Escaping.escape(withInvalid, 0, withInvalid.length)).isEqualTo("é\\x00\\xFF");
    }
}
