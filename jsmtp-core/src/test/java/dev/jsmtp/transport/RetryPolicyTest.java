package dev.jsmtp.transport;

import dev.jsmtp.Reply;
import dev.jsmtp.RetryPolicy;
import dev.jsmtp.SmtpConnectionException;
import dev.jsmtp.SmtpRejectedException;
import dev.jsmtp.SmtpTimeoutException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RetryPolicy (root type, tested here with the transport that applies it): what is retried and how long apart. */
class RetryPolicyTest {

    private static final RetryPolicy POLICY = new RetryPolicy(5, Duration.ofSeconds(1), 2, Duration.ofSeconds(5),
            0.5, Duration.ofSeconds(20));

    private static Reply reply(int code) {
        return new Reply(code, Optional.empty(), List.of("text"));
    }

    @Test
    void retriesTransientFailuresOnly() {
        assertThat(POLICY.retries(new SmtpRejectedException("MAIL FROM:<a@b>", reply(451), "mx:25"))).isTrue();
        assertThat(POLICY.retries(new SmtpRejectedException("MAIL FROM:<a@b>", reply(550), "mx:25"))).isFalse();
        assertThat(POLICY.retries(new SmtpConnectionException("lost", "mx:25", null, false))).isTrue();
        assertThat(POLICY.retries(new SmtpTimeoutException("reply to MAIL FROM", Duration.ofSeconds(1), false,
                "mx:25"))).isTrue();
    }

    @Test
    void neverRetriesAmbiguousFailures() {
        assertThat(POLICY.retries(new SmtpConnectionException("lost", "mx:25", null, true))).isFalse();
        assertThat(POLICY.retries(new SmtpTimeoutException("reply to end of data", Duration.ofSeconds(1), true,
                "mx:25"))).isFalse();
    }

    @Test
    void noneNeverRetries() {
        assertThat(RetryPolicy.NONE.retries(new SmtpRejectedException("MAIL", reply(451), "mx:25"))).isFalse();
    }

    @Test
    void delaysGrowExponentiallyUpToTheCapWithJitterBelowTheNominalDelay() {
        assertThat(POLICY.delayBefore(2, Duration.ZERO, 0)).contains(Duration.ofSeconds(1));
        assertThat(POLICY.delayBefore(3, Duration.ZERO, 0)).contains(Duration.ofSeconds(2));
        assertThat(POLICY.delayBefore(4, Duration.ZERO, 0)).contains(Duration.ofSeconds(4));
        assertThat(POLICY.delayBefore(5, Duration.ZERO, 0)).contains(Duration.ofSeconds(5));
        assertThat(POLICY.delayBefore(3, Duration.ZERO, 0.999)).get()
                .matches(d -> d.compareTo(Duration.ofSeconds(1)) >= 0 && d.compareTo(Duration.ofSeconds(2)) < 0);
    }

    @Test
    void stopsAtTheAttemptLimitAndTheDeadline() {
        assertThat(POLICY.delayBefore(6, Duration.ZERO, 0)).isEmpty();
        assertThat(POLICY.delayBefore(1, Duration.ZERO, 0)).isEmpty();
        assertThat(POLICY.delayBefore(3, Duration.ofSeconds(18), 0)).contains(Duration.ofSeconds(2));
        assertThat(POLICY.delayBefore(3, Duration.ofSeconds(19), 0)).isEmpty();
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, 2, Duration.ZERO, 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(2, Duration.ZERO, 0.5, Duration.ZERO, 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(2, Duration.ZERO, 2, Duration.ZERO, 1.5, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
