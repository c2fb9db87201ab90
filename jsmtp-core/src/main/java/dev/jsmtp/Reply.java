package dev.jsmtp;

import java.util.List;
import java.util.Optional;

/**
 * A complete SMTP reply (RFC 5321 §4.2): a three-digit code shared by every line, an optional enhanced status
 * code (RFC 2034) and the text of each line without code, separator or CRLF.
 */
public record Reply(int code, Optional<EnhancedStatus> status, List<String> lines) {

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range 2yz-5yz: " + code);
        }
        status = status == null ? Optional.empty() : status;
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
    }

    /** A one-line reply; the enhanced status is parsed from the text's start when present. */
    public static Reply of(int code, String text) {
        return new Reply(code, EnhancedStatus.parseLeading(text), List.of(text));
    }

    /** 2yz: the command was accepted. */
    public boolean isPositive() {
        return code < 300;
    }

    /** 3yz: the server waits for more (354 after DATA, 334 during AUTH). */
    public boolean isIntermediate() {
        return code >= 300 && code < 400;
    }

    /** 4yz: refused for now; the same command may succeed later. */
    public boolean isTransientNegative() {
        return code >= 400 && code < 500;
    }

    /** 5yz: refused; repeating the command will not help. */
    public boolean isPermanentNegative() {
        return code >= 500;
    }

    /** The first line's text. */
    public String firstLine() {
        return lines.get(0);
    }

    /** All lines' text joined by a space, the enhanced status code included where the server sent it. */
    public String text() {
        return String.join(" ", lines);
    }

    /** The reply as a server would send it on one line, for messages: {@code 550 5.1.1 User unknown}. */
    @Override
    public String toString() {
        return code + " " + text();
    }
}
