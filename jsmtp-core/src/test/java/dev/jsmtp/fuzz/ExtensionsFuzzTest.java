package dev.jsmtp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jsmtp.Escaping;
import dev.jsmtp.Extensions;
import dev.jsmtp.Reply;
import dev.jsmtp.wire.ReplyReader;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fuzzes {@link Extensions#parse} (RFC 5321 §4.1.1.1) with EHLO replies whose lines come from the fuzz data,
 * read through {@link ReplyReader} as a server would send them: parsing never fails, and what it keeps is
 * well-formed.
 */
class ExtensionsFuzzTest {

    private static final Pattern KEYWORD = Pattern.compile("[A-Z0-9][A-Z0-9-]*");

    @FuzzTest
    void extensionsParse(byte[] input) throws IOException {
        Reply reply;
        try {
            reply = new ReplyReader(new ByteArrayInputStream(ehloReply(input)), "fuzz", ReplyReader.Limits.DEFAULTS,
                    null, null).read(Duration.ofMinutes(1));
        } catch (IOException e) {
            return; // malformed line: the reader's business, covered by ReplyFuzzTest
        }
        Extensions extensions = Extensions.parse(reply);
        for (Map.Entry<String, List<String>> e : extensions.keywords().entrySet()) {
            String keyword = e.getKey();
            check(KEYWORD.matcher(keyword).matches(), "keyword", keyword);
            check(extensions.supports(keyword) && extensions.supports(keyword.toLowerCase(Locale.ROOT)),
                    "supports", keyword);
            check(extensions.parameters(keyword).equals(e.getValue()), "parameters", keyword);
            for (String parameter : e.getValue()) {
                check(!parameter.isEmpty() && parameter.indexOf(' ') < 0 && parameter.indexOf('\t') < 0,
                        "parameter", parameter);
            }
        }
        for (String mechanism : extensions.authMechanisms()) {
            check(!mechanism.isEmpty() && mechanism.equals(mechanism.toUpperCase(Locale.ROOT)), "mechanism",
                    mechanism);
        }
        extensions.sizeLimit().ifPresent(limit -> check(limit > 0, "size limit", String.valueOf(limit)));
    }

    private static void check(boolean ok, String what, String value) {
        if (!ok) {
            throw new AssertionError("bad " + what + ": " + Escaping.escape(value));
        }
    }

    /** "250-mx" then one "250-" line per line of the input, the last one "250 ". */
    private static byte[] ehloReply(byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("250-mx.example.org greets you".getBytes(StandardCharsets.US_ASCII));
        int start = 0;
        for (int i = 0; i <= input.length; i++) {
            if (i == input.length || input[i] == '\n') {
                out.writeBytes(new byte[] {'\r', '\n', '2', '5', '0', (byte) (i == input.length ? ' ' : '-')});
                int end = i > start && input[i - 1] == '\r' ? i - 1 : i;
                out.write(input, start, end - start);
                start = i + 1;
            }
        }
        out.writeBytes(new byte[] {'\r', '\n'});
        return out.toByteArray();
    }
}
