package dev.jsmtp.postfix;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A message the test Postfix delivered: its queue id, the envelope it arrived with (RFC 5321 §2.3.1; the empty
 * string is the null reverse-path) and its octets as a relay would pass them on, lines ending in CRLF.
 */
public record DeliveredMessage(String queueId, String reversePath, List<String> forwardPaths, byte[] bytes) {

    public DeliveredMessage {
        Objects.requireNonNull(queueId);
        Objects.requireNonNull(reversePath);
        forwardPaths = List.copyOf(forwardPaths);
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The octets without the trace header fields Postfix put on top (RFC 5321 §4.4: {@code Received:} and its
     * folded continuation lines); everything after them is what the client sent.
     */
    public byte[] withoutTraceHeaders() {
        int at = 0;
        while (startsWithIgnoreCase(at, "Received:")) {
            at = lineEnd(at);
            while (at < bytes.length && (bytes[at] == ' ' || bytes[at] == '\t')) {
                at = lineEnd(at);
            }
        }
        return java.util.Arrays.copyOfRange(bytes, at, bytes.length);
    }

    /** The first {@code Received:} field Postfix added, unfolded, for checks such as "with ESMTPSA". */
    public String traceHeader() {
        byte[] rest = withoutTraceHeaders();
        String trace = new String(bytes, 0, bytes.length - rest.length, StandardCharsets.UTF_8);
        return trace.replaceAll("\r\n[ \t]+", " ").trim();
    }

    /** The content as UTF-8 text, for failure messages and substring checks. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private boolean startsWithIgnoreCase(int at, String prefix) {
        if (bytes.length - at < prefix.length()) {
            return false;
        }
        String head = new String(bytes, at, prefix.length(), StandardCharsets.ISO_8859_1);
        return head.equalsIgnoreCase(prefix);
    }

    private int lineEnd(int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return bytes.length;
    }

    @Override
    public String toString() {
        return "DeliveredMessage[" + queueId + " from <" + reversePath + "> to " + forwardPaths + ", "
                + bytes.length + " bytes]";
    }
}
