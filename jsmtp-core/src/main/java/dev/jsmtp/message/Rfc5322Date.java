package dev.jsmtp.message;

import java.time.ZonedDateTime;

/**
 * The RFC 5322 §3.3 date-time of a Date field, such as {@code Thu, 26 Nov 2026 09:56:17 +0000}: English names
 * whatever the default locale.
 */
public final class Rfc5322Date {

    // Written by hand rather than with a DateTimeFormatter pattern: the formatter pulls in the JDK's locale
    // providers and resource bundles, some 35 ms of a command-line send that otherwise takes about 150 ms.
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private Rfc5322Date() {
    }

    /** {@code t} as a Date field's value; years before 1 AD are refused. */
    public static String format(ZonedDateTime t) {
        StringBuilder s = new StringBuilder(31);
        s.append(DAYS[t.getDayOfWeek().ordinal()]).append(", ").append(t.getDayOfMonth()).append(' ')
                .append(MONTHS[t.getMonthValue() - 1]).append(' ');
        int year = t.getYear();
        if (year < 0) {
            throw new IllegalArgumentException("a Date field cannot hold a year before 1 AD: " + year);
        }
        pad(s, year, 4).append(' ');
        pad(s, t.getHour(), 2).append(':');
        pad(s, t.getMinute(), 2).append(':');
        pad(s, t.getSecond(), 2).append(' ');
        // Zones with a seconds part in their offset (historic local mean time) are cut to whole minutes, as the
        // field has no place for seconds.
        int offsetMinutes = t.getOffset().getTotalSeconds() / 60;
        s.append(offsetMinutes < 0 ? '-' : '+');
        pad(s, Math.abs(offsetMinutes) / 60, 2);
        return pad(s, Math.abs(offsetMinutes) % 60, 2).toString();
    }

    private static StringBuilder pad(StringBuilder s, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            s.append('0');
        }
        return s.append(digits);
    }
}
