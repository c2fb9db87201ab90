package dev.jsmtp;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An enhanced mail system status code, {@code class.subject.detail} (RFC 3463, carried in replies per RFC 2034).
 *
 * @param statusClass 2 (success), 4 (persistent transient failure) or 5 (permanent failure)
 * @param subject     0 to 999
 * @param detail      0 to 999
 */
public record EnhancedStatus(int statusClass, int subject, int detail) {

    // RFC 3463 §2: class "." subject "." detail, one digit then one to three digits each.
    private static final Pattern LEADING = Pattern.compile("([245])\\.(\\d{1,3})\\.(\\d{1,3})(?=[ \\t]|$)");

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
        Matcher m = LEADING.matcher(text);
        if (!m.lookingAt()) {
            return Optional.empty();
        }
        return Optional.of(new EnhancedStatus(
                m.group(1).charAt(0) - '0', Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
    }

    @Override
    public String toString() {
        return statusClass + "." + subject + "." + detail;
    }
}
