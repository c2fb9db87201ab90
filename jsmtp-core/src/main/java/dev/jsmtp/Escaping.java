package dev.jsmtp;

import java.nio.charset.StandardCharsets;

/**
 * Makes hostile text safe to print: control characters (C0, DEL, C1, line and paragraph separators) become
 * {@code \\r}, {@code \\n}, {@code \\t} or {@code \\xNN} / {@code \\u+NNNN} escapes, so that nothing a server or a
 * caller sent can move a terminal's cursor or forge a log line.
 */
public final class Escaping {

    private Escaping() {
    }

    /** The text with every control character escaped; backslashes are doubled so the result is unambiguous. */
    public static String escape(CharSequence text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = replacement(c);
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                out.append(replacement != null ? replacement : String.valueOf(c));
            }
        }
        return out == null ? text.toString() : out.toString();
    }

    /** Octets as text: printable ASCII kept, everything else escaped, UTF-8 decoded only where valid. */
    public static String escape(byte[] bytes, int offset, int length) {
        StringBuilder out = new StringBuilder(length + 16);
        for (int i = offset; i < offset + length; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x80) {
                int n = utf8SequenceLength(bytes, i, offset + length);
                if (n > 0) {
                    out.append(escape(new String(bytes, i, n, StandardCharsets.UTF_8)));
                    i += n - 1;
                    continue;
                }
                out.append(String.format("\\x%02X", b));
            } else {
                String r = replacement((char) b);
                out.append(r != null ? r : String.valueOf((char) b));
            }
        }
        return out.toString();
    }

    private static String replacement(char c) {
        switch (c) {
            case '\r':
                return "\\r";
            case '\n':
                return "\\n";
            case '\t':
                return "\\t";
            case '\\':
                return "\\\\";
            default:
                if (c < 0x20 || c == 0x7f) {
                    return String.format("\\x%02X", (int) c);
                }
                if ((c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029' || (c >= '\u200b' && c <= '\u200f')
                        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\ufeff') {
                    return String.format("\\u+%04X", (int) c);
                }
                return null;
        }
    }

    private static int utf8SequenceLength(byte[] b, int i, int end) {
        int lead = b[i] & 0xff;
        int n = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 && lead < 0xe0 ? 2 : 0;
        if (n == 0 || lead > 0xf4 || i + n > end) {
            return 0;
        }
        for (int k = 1; k < n; k++) {
            if ((b[i + k] & 0xc0) != 0x80) {
                return 0;
            }
        }
        return n;
    }
}
