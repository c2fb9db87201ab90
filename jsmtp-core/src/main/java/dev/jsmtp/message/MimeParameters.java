package dev.jsmtp.message;

import java.util.Locale;

/** Reads a parameter from a MIME field value such as {@code multipart/mixed; boundary="x"} (RFC 2045 §5.1). */
final class MimeParameters {

    private MimeParameters() {
    }

    /** The value of parameter {@code name} (case-insensitive), unquoted; null when absent. */
    static String get(String fieldValue, String name) {
        int i = fieldValue.indexOf(';');
        while (i >= 0 && i < fieldValue.length()) {
            i++;
            while (i < fieldValue.length() && Character.isWhitespace(fieldValue.charAt(i))) {
                i++;
            }
            int eq = fieldValue.indexOf('=', i);
            if (eq < 0) {
                return null;
            }
            String attribute = fieldValue.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            while (i < fieldValue.length() && Character.isWhitespace(fieldValue.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < fieldValue.length() && fieldValue.charAt(i) == '"') {
                i++;
                while (i < fieldValue.length() && fieldValue.charAt(i) != '"') {
                    char c = fieldValue.charAt(i++);
                    if (c == '\\' && i < fieldValue.length()) {
                        c = fieldValue.charAt(i++);
                    }
                    value.append(c);
                }
                i = fieldValue.indexOf(';', i);
            } else {
                int end = fieldValue.indexOf(';', i);
                value.append(fieldValue, i, end < 0 ? fieldValue.length() : end);
                i = end;
            }
            if (attribute.equals(name.toLowerCase(Locale.ROOT))) {
                return value.toString().strip();
            }
        }
        return null;
    }
}
