package dev.jsmtp.cli;

import java.util.ArrayList;
import java.util.List;

/** Splits a comma-separated address list (RFC 5322 §3.4) at the commas outside quotes, angle brackets and comments. */
final class AddressList {

    private AddressList() {
    }

    static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        int angle = 0;
        int comment = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < list.length()) {
                    current.append(c).append(list.charAt(++i));
                    continue;
                }
                quoted = c != '"';
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                angle++;
            } else if (c == '>' && angle > 0) {
                angle--;
            } else if (c == '(') {
                comment++;
            } else if (c == ')' && comment > 0) {
                comment--;
            } else if (c == ',' && angle == 0 && comment == 0) {
                add(out, current);
                continue;
            }
            current.append(c);
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder current) {
        String s = current.toString().strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
        current.setLength(0);
    }
}
