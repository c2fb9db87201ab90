package dev.jsmtp.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OAuthErrorTest {

    private static Optional<OAuthError> parse(String json) {
        return OAuthError.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsGooglesError() {
        OAuthError error = parse("{\"status\":\"401\",\"schemes\":\"Bearer\",\"scope\":\"https://mail.google.com/\"}")
                .orElseThrow();

        assertThat(error.status()).contains("401");
        assertThat(error.schemes()).contains("Bearer");
        assertThat(error.scope()).contains("https://mail.google.com/");
    }

    @Test
    void readsNumbersAsTheirTextAndDecodesEscapes() {
        OAuthError error = parse(" {\n \"status\" : 401 , \"scope\":\"a\\/b \\u00e9\\\"\\n\", \"n\": -1.5e+3 } ")
                .orElseThrow();

        assertThat(error.status()).contains("401");
        assertThat(error.scope()).contains("a/b é\"\n");
        assertThat(error.members()).containsEntry("n", "-1.5e+3");
    }

    @Test
    void emptyObjectHasNoMembers() {
        assertThat(parse("{}")).hasValueSatisfying(e -> assertThat(e.members()).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":\"b\",}", "{\"a\":\"b\"} x",
        "{\"a\":{\"b\":1}}", "{\"a\":[1]}", "{\"a\":true}", "{\"a\":null}", "{\"a\":01}", "{\"a\":1.}",
        "{\"a\":\"b\",\"a\":\"c\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"raw\ncontrol\"}",
        "{\"a\":\"unterminated}", "{'a':'b'}", "{\"a\":-}"})
    void rejectsAnythingButOneFlatObjectOfStringsAndNumbers(String json) {
        assertThat(parse(json)).isEmpty();
    }

    @Test
    void rejectsInvalidUtf8() {
        assertThat(OAuthError.parse(new byte[] {'{', '"', (byte) 0xc3, '"', ':', '1', '}'})).isEmpty();
    }

    @Test
    void isBoundedInSizeAndMembers() {
        assertThat(parse("{\"a\":\"" + "x".repeat(OAuthError.MAX_CHARS) + "\"}")).isEmpty();
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i <= OAuthError.MAX_MEMBERS; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
        }
        assertThat(parse(many.append('}').toString())).isEmpty();
        assertThat(parse("{\"k\":1}")).isPresent();
    }
}
