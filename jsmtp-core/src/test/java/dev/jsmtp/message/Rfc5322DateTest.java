package dev.jsmtp.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Rfc5322DateTest {

    /** The JDK's own formatter for the same pattern, as the reference. */
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    @Test
    void formatsTheRfcExample() {
        // RFC 5322 Appendix A.1.1: "Date: Fri, 21 Nov 1997 09:55:06 -0600"
        ZonedDateTime t = ZonedDateTime.of(1997, 11, 21, 9, 55, 6, 0, ZoneOffset.ofHours(-6));
        assertThat(Rfc5322Date.format(t)).isEqualTo("Fri, 21 Nov 1997 09:55:06 -0600");
    }

    @Test
    void agreesWithTheJdkFormatterAcrossZonesAndCenturies() {
        SplittableRandom random = new SplittableRandom(5322);
        List<ZoneId> zones = List.of(ZoneOffset.UTC, ZoneId.of("Asia/Taipei"), ZoneId.of("America/St_Johns"),
                ZoneId.of("Asia/Kathmandu"), ZoneId.of("Pacific/Chatham"), ZoneId.of("Europe/Amsterdam"),
                ZoneOffset.ofHoursMinutes(-9, -30), ZoneId.of("Pacific/Kiritimati"));
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-60_000_000_000L, 250_000_000_000L));
            ZonedDateTime t = instant.atZone(zones.get(random.nextInt(zones.size())));
            assertThat(Rfc5322Date.format(t)).as("%s", t).isEqualTo(REFERENCE.format(t));
        }
    }

    @Test
    void historicOffsetsWithSecondsAreCutToWholeMinutesLikeTheJdk() {
        // Amsterdam's local mean time until 1937 was +00:19:32 (and -00:19:32 tests the other sign).
        ZonedDateTime east = ZonedDateTime.of(LocalDateTime.of(1920, 5, 1, 12, 0),
                ZoneOffset.ofHoursMinutesSeconds(0, 19, 32));
        ZonedDateTime west = east.withZoneSameLocal(ZoneOffset.ofHoursMinutesSeconds(0, -19, -32));
        assertThat(Rfc5322Date.format(east)).isEqualTo(REFERENCE.format(east)).endsWith("+0019");
        assertThat(Rfc5322Date.format(west)).isEqualTo(REFERENCE.format(west)).endsWith("-0019");
    }

    @Test
    void refusesYearsTheFieldCannotHold() {
        ZonedDateTime t = ZonedDateTime.of(-5, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        assertThatThrownBy(() -> Rfc5322Date.format(t)).isInstanceOf(IllegalArgumentException.class);
    }
}
