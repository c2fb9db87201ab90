package dev.jsmtp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jsmtp.Escaping;
import dev.jsmtp.Path;

import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link Path#of} (RFC 5321 §4.1.2): it either refuses with {@link IllegalArgumentException} or returns a
 * path that is safe to put between angle brackets in MAIL FROM or RCPT TO: no CR, LF or NUL anywhere, and no
 * {@code <}, {@code >} or space outside the quoted local part.
 */
class PathFuzzTest {

    @FuzzTest
    void pathOf(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Path path;
        try {
            path = Path.of(text);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertSafe(path.toString());
        assertSafe(path.toSmtpString(true));
        if (!path.requiresSmtpUtf8()) {
            assertSafe(path.toSmtpString(false));
        }
    }

    private static void assertSafe(String address) {
        if (address.indexOf('\r') >= 0 || address.indexOf('\n') >= 0 || address.indexOf('\0') >= 0) {
            throw new AssertionError("line break or NUL in " + Escaping.escape(address));
        }
        boolean quoted = false;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"' && (quoted || i == 0)) {
                quoted = !quoted;
            } else if (!quoted && (c == '<' || c == '>' || c == ' ')) {
                throw new AssertionError("'" + c + "' outside quotes at " + i + " in " + Escaping.escape(address));
            }
        }
    }
}
