package dev.jsmtp;

import java.util.Optional;

/**
 * An enhanced mail system status code, {@code class.subject.detail} (RFC 3463, carried in replies per RFC 2034).
 *
 * @param statusClass 2 (success), 4 (persistent transient failure) or 5 (permanent failure)
 * @param subject     0 to 999
 * @param detail      0 to 999
 */
public record EnhancedStatus(int statusClass, int subject, int detail) {

    public EnhancedStatus {
        if (statusClass != 2 && statusClass != 4 && statusClass != 5) {
            throw new IllegalArgumentException("enhanced status class must be 2, 4 or 5: " + statusClass);
        }
        if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
            throw new IllegalArgumentException("enhanced status subject and detail must be 0-999");
        }
    }

    /**
     * Parses the enhanced status code at the start of {@code text} (the reply text after the basic code and
     * its separator), such as {@code "5.1.1 User unknown"}; empty when the text does not start with one.
     */
    public static Optional<EnhancedStatus> parseLeading(String text) {
        // RFC 3463 §2: class "." subject "." detail, one digit then one to three digits each, followed by a space,
        // a tab or the end of the text. Scanned by hand: the first regular expression a command compiles costs it
        // several milliseconds of start-up, and every reply goes through here.
        if (text.length() < 5 || text.charAt(1) != '.') {
            return Optional.empty();
        }
        char c = text.charAt(0);
        if (c != '2' && c != '4' && c != '5') {
            return Optional.empty();
        }
        int subjectEnd = digits(text, 2);
        if (subjectEnd < 0 || subjectEnd >= text.length() || text.charAt(subjectEnd) != '.') {
            return Optional.empty();
        }
        int detailEnd = digits(text, subjectEnd + 1);
        if (detailEnd < 0 || detailEnd < text.length() && text.charAt(detailEnd) != ' '
                && text.charAt(detailEnd) != '\t') {
            return Optional.empty();
        }
        return Optional.of(new EnhancedStatus(c - '0', Integer.parseInt(text, 2, subjectEnd, 10),
                Integer.parseInt(text, subjectEnd + 1, detailEnd, 10)));
    }

    /** The end of the run of one to three ASCII digits at {@code from}, or -1 when there is no such run. */
    private static int digits(String text, int from) {
        int end = from;
        while (end < text.length() && end - from < 4 && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
            end++;
        }
        return end == from || end - from > 3 ? -1 : end;
    }

    @Override
    public String toString() {
        return statusClass + "." + subject + "." + detail;
    }
}
