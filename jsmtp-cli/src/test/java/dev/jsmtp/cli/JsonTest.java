package dev.jsmtp.cli;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest {

    @Test
    void writesNestedValuesInOrder() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("sent", true);
        o.put("exitCode", 0);
        o.put("reply", Map.of("code", 250));
        o.put("accepted", List.of("a@example.org", "b@example.org"));
        o.put("error", null);
        assertThat(Json.write(o)).isEqualTo(
                "{\"sent\":true,\"exitCode\":0,\"reply\":{\"code\":250},"
                        + "\"accepted\":[\"a@example.org\",\"b@example.org\"],\"error\":null}");
    }

    @Test
    void escapesStringsSoTheOutputStaysOneLineOfValidJson() {
        assertThat(Json.write(Arrays.asList("q\"b\\s", "line\r\nnext", "\u0000\u001b\u2028")))
                .isEqualTo("[\"q\\\"b\\\\s\",\"line\\r\\nnext\",\"\\u0000\\u001b\\u2028\"]");
    }
}
