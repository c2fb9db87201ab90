package dev.jsmtp;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplyTest {

    @Test
    void classifiesCodes() {
        assertThat(Reply.of(250, "Ok").isPositive()).isTrue();
        assertThat(Reply.of(354, "go").isIntermediate()).isTrue();
        assertThat(Reply.of(451, "later").isTransientNegative()).isTrue();
        assertThat(Reply.of(550, "no").isPermanentNegative()).isTrue();
    }

    @Test
    void parsesEnhancedStatus() {
        Reply r = Reply.of(550, "5.1.1 User unknown");
        assertThat(r.status()).contains(new EnhancedStatus(5, 1, 1));
        assertThat(r.toString()).isEqualTo("550 5.1.1 User unknown");
    }

    @Test
    void enhancedStatusNeedsAllThreeParts() {
        assertThat(EnhancedStatus.parseLeading("5.1 nope")).isEmpty();
        assertThat(EnhancedStatus.parseLeading("5.1.1234 nope")).isEmpty();
        assertThat(EnhancedStatus.parseLeading("3.1.1 nope")).isEmpty();
        assertThat(EnhancedStatus.parseLeading("55.1.1 x")).isEmpty();
        assertThat(EnhancedStatus.parseLeading("2.0.0")).contains(new EnhancedStatus(2, 0, 0));
        assertThat(EnhancedStatus.parseLeading("4.7.0\tTLS")).contains(new EnhancedStatus(4, 7, 0));
        assertThat(EnhancedStatus.parseLeading("5.7.139x")).isEmpty();
    }

    @Test
    void refusesImpossibleReplies() {
        assertThatThrownBy(() -> Reply.of(199, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.of(600, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reply(250, Optional.empty(), List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
