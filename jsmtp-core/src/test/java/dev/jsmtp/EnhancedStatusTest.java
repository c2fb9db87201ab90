package dev.jsmtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnhancedStatusTest {

    /** RFC 3463 §2's grammar as a regular expression: the reference the hand-written scanner must agree with. */
    private static final Pattern GRAMMAR = Pattern.compile("([245])\\.([0-9]{1,3})\\.([0-9]{1,3})(?=[ \\t]|\\z)");

    private static Optional<EnhancedStatus> reference(String text) {
        Matcher m = GRAMMAR.matcher(text);
        return m.lookingAt() ? Optional.of(new EnhancedStatus(m.group(1).charAt(0) - '0',
                Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)))) : Optional.empty();
    }

    @Test
    void readsTheCodeAtTheStartOfReplyText() {
        assertThat(EnhancedStatus.parseLeading("5.1.1 <nobody@example.com>: Recipient address rejected"))
                .contains(new EnhancedStatus(5, 1, 1));
        assertThat(EnhancedStatus.parseLeading("2.0.0 Ok: queued as 4Xyz")).contains(new EnhancedStatus(2, 0, 0));
        assertThat(EnhancedStatus.parseLeading("4.7.0\tTry later")).contains(new EnhancedStatus(4, 7, 0));
        assertThat(EnhancedStatus.parseLeading("5.999.999")).contains(new EnhancedStatus(5, 999, 999));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5.1", "5.1.", "3.1.1 text", "5.1.1000 x", "5.1000.1 x", "5..1 x", "5.1.1x",
        "5.1.1-x", " 5.1.1 x", "5.1.\u0661 x", "\u0665.1.1 x", "5.1.1\r\n", "Ok 5.1.1", "5.01.001 leading zeros"})
    void agreesWithTheGrammarOnEdgeCases(String text) {
        assertThat(EnhancedStatus.parseLeading(text)).isEqualTo(reference(text));
    }

    @Test
    void agreesWithTheGrammarOnRandomText() {
        SplittableRandom random = new SplittableRandom(3463);
        String alphabet = "0123245..5 \tx\u0661";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = s.toString();
            assertThat(EnhancedStatus.parseLeading(text)).as("\"%s\"", text).isEqualTo(reference(text));
        }
    }
}
