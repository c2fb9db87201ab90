package dev.jsmtp.cli;

import dev.jsmtp.Path;
import dev.jsmtp.RecipientResult;
import dev.jsmtp.Reply;
import dev.jsmtp.SmtpAuthenticationException;
import dev.jsmtp.SmtpCapabilityException;
import dev.jsmtp.SmtpConnectionException;
import dev.jsmtp.SmtpProtocolException;
import dev.jsmtp.SmtpRejectedException;
import dev.jsmtp.SmtpSecurityException;
import dev.jsmtp.SmtpTimeoutException;
import org.junit.jupiter.api.Test;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ExitCodeTest {

    private static final String SERVER = "mx.example.org:25";

    @Test
    void permanentlyRefusedRecipientIsNoUser() {
        var refused = List.of(new RecipientResult(Path.of("bob@example.org"), Reply.of(550, "5.1.1 unknown")));
        var e = new SmtpRejectedException("RCPT TO:<bob@example.org>", Reply.of(550, "5.1.1 unknown"), SERVER, refused);
        assertThat(ExitCode.of(e)).isEqualTo(67);
    }

    @Test
    void recipientsRefusedOnlyForNowAreTemporary() {
        var refused = List.of(new RecipientResult(Path.of("bob@example.org"), Reply.of(450, "4.2.1 try later")));
        var e = new SmtpRejectedException("RCPT TO:<bob@example.org>", Reply.of(450, "4.2.1 try later"), SERVER,
                refused);
        assertThat(ExitCode.of(e)).isEqualTo(75);
    }

    @Test
    void permanentRefusalOfTheSessionOrTransactionIsUnavailable() {
        assertThat(ExitCode.of(new SmtpRejectedException("(greeting)", Reply.of(554, "no service"), SERVER)))
                .isEqualTo(69);
        assertThat(ExitCode.of(new SmtpRejectedException("MAIL FROM:<a@example.org>", Reply.of(553, "no"), SERVER)))
                .isEqualTo(69);
        assertThat(ExitCode.of(new SmtpRejectedException("DATA", Reply.of(554, "5.7.1 spam"), SERVER)))
                .isEqualTo(69);
    }

    @Test
    void anyTransientReplyIsTemporaryFailure() {
        assertThat(ExitCode.of(new SmtpRejectedException("MAIL FROM:<a@example.org>", Reply.of(451, "later"), SERVER)))
                .isEqualTo(75);
        assertThat(ExitCode.of(new SmtpRejectedException("(greeting)", Reply.of(421, "busy"), SERVER)))
                .isEqualTo(75);
    }

    @Test
    void connectionFailures() {
        assertThat(ExitCode.of(SmtpConnectionException.hostNotFound("nowhere.invalid", new UnknownHostException())))
                .isEqualTo(68);
        assertThat(ExitCode.of(new SmtpConnectionException("connection refused", SERVER, null, false)))
                .isEqualTo(75);
        assertThat(ExitCode.of(new SmtpTimeoutException("the greeting", Duration.ofSeconds(5), false, SERVER)))
                .isEqualTo(75);
    }

    @Test
    void protocolSecurityAndAuthentication() {
        assertThat(ExitCode.of(new SmtpProtocolException("Malformed reply \"25O ok\"", SERVER))).isEqualTo(76);
        assertThat(ExitCode.of(new SmtpSecurityException("STARTTLS required but not offered", SERVER)))
                .isEqualTo(77);
        assertThat(ExitCode.of(new SmtpAuthenticationException("AUTH failed", Optional.of(Reply.of(535, "5.7.8 no")),
                "PLAIN", false, SERVER))).isEqualTo(77);
        assertThat(ExitCode.of(new SmtpAuthenticationException("AUTH failed", Optional.of(Reply.of(454, "4.7.0 later")),
                "PLAIN", false, SERVER))).isEqualTo(75);
    }

    @Test
    void missingCapabilityIsUnavailable() {
        assertThat(ExitCode.of(new SmtpCapabilityException("message too big", "SIZE", SERVER))).isEqualTo(69);
    }
}
