package dev.jsmtp.message;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderEncoderTest {

    private static final Pattern WORD = Pattern.compile("=\\?UTF-8\\?([BQ])\\?([^?]*)\\?=");
    private final HeaderEncoder ascii = new HeaderEncoder(false);

    @Test
    void asciiTextIsFoldedAtWhitespaceAndUnfoldsToTheSameText() {
        String value = "The quick brown fox  jumps over\tthe lazy dog; ".repeat(6).strip();
        String field = ascii.unstructured("Subject", value);
        assertFolded(field);
        assertThat(unfold(field)).isEqualTo("Subject: " + value);
    }

    @Test
    void encodedWordsAreShortAndNeverSplitAUtf8Sequence() throws Exception {
        String value = "從零開始的 SMTP：以 Python 為例 😀🎉 ".repeat(8);
        String field = ascii.unstructured("Subject", value);
        assertFolded(field);
        assertThat(field.chars().allMatch(c -> c < 0x80)).isTrue();
        List<String> words = words(field);
        assertThat(words).hasSizeGreaterThan(5);
        for (String w : words) {
            assertThat(w.length()).as(w).isLessThanOrEqualTo(75);
            strictUtf8(payload(w)); // every word decodes on its own
        }
        assertThat(DecoderUtil.decodeEncodedWords(unfold(field).substring(9), DecodeMonitor.SILENT))
                .isEqualTo(value.strip());
    }

    @Test
    void choosesQForMostlyAsciiAndBForMostlyNonAscii() {
        assertThat(ascii.unstructured("Subject", "Kurzübersicht")).contains("=?UTF-8?Q?Kurz=C3=BCbersicht?=");
        assertThat(ascii.unstructured("Subject", "東京タワーからこんにちは")).contains("=?UTF-8?B?");
    }

    @Test
    void onlyTheNonAsciiSpanIsEncoded() {
        String field = ascii.unstructured("Subject", "Report for Zürich office, week 12");
        assertThat(field).startsWith("Subject: Report for =?UTF-8?").endsWith("?= office, week 12\r\n");
    }

    @Test
    void textThatLooksLikeAnEncodedWordIsEncodedSoItSurvives() {
        String value = "literally =?UTF-8?B?SGk=?= here";
        String field = ascii.unstructured("Subject", value);
        assertThat(DecoderUtil.decodeEncodedWords(unfold(field).substring(9), DecodeMonitor.SILENT))
                .isEqualTo(value);
    }

    @Test
    void anUnbreakableAsciiWordLongerThanALineIsEncodedRatherThanLeftOver998() {
        String value = "token-" + "x".repeat(2000);
        String field = ascii.unstructured("X-Long", value);
        for (String line : field.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(78);
        }
        assertThat(DecoderUtil.decodeEncodedWords(unfold(field).substring(8), DecodeMonitor.SILENT))
                .isEqualTo(value);
    }

    @Test
    void utf8ModeWritesRawUtf8() {
        String field = new HeaderEncoder(true).unstructured("Subject", "Grüße 從零開始");
        assertThat(field).isEqualTo("Subject: Grüße 從零開始\r\n");
    }

    @Test
    void fileNameUsesRfc2231ContinuationsAndAnEncodedNameForOutlook() {
        String name = "從零開始的 SMTP：以 Python 為例 — 第二版 (final).pdf";
        String disposition = HeaderEncoder.mimeField("Content-Disposition", "attachment", List.of(), "filename",
                name, null);
        assertFolded(disposition);
        assertThat(disposition).contains("filename*0*=UTF-8''%E5%BE%9E").contains("filename*1*=");
        String type = HeaderEncoder.mimeField("Content-Type", "application/pdf", List.of(), null, name, "name");
        assertFolded(type);
        assertThat(type).contains("name=\"=?UTF-8?");
    }

    @Test
    void shortAsciiFileNameIsAPlainQuotedParameter() {
        assertThat(HeaderEncoder.mimeField("Content-Disposition", "attachment", List.of(), "filename",
                "report 2024.pdf", null)).isEqualTo("Content-Disposition: attachment; filename=\"report 2024.pdf\"\r\n");
    }

    private static void assertFolded(String field) {
        assertThat(field).endsWith("\r\n");
        String[] lines = field.substring(0, field.length() - 2).split("\r\n", -1);
        for (int i = 0; i < lines.length; i++) {
            assertThat(lines[i].length()).as(lines[i]).isLessThanOrEqualTo(78);
            if (i > 0) {
                assertThat(lines[i]).matches("[ \t].*\\S.*");
            }
        }
    }

    private static String unfold(String field) {
        return field.substring(0, field.length() - 2).replace("\r\n", "");
    }

    private static List<String> words(String field) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(field);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static byte[] payload(String word) {
        Matcher m = WORD.matcher(word);
        assertThat(m.matches()).isTrue();
        if (m.group(1).equals("B")) {
            return Base64.getDecoder().decode(m.group(2));
        }
        return DecoderUtil.decodeEncodedWords(word, DecodeMonitor.SILENT).getBytes(StandardCharsets.UTF_8);
    }

    private static void strictUtf8(byte[] bytes) throws CharacterCodingException {
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
    }
}
