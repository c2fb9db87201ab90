package dev.jsmtp.cli;

import dev.jsmtp.DsnNotify;
import dev.jsmtp.DsnReturn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendmailArgumentsTest {

    private static SendmailArguments parse(String... args) throws CliException {
        return SendmailArguments.parse(args);
    }

    @Test
    void debianCron() throws CliException {
        SendmailArguments a = parse("-FCronDaemon", "-i", "-B8BITMIME", "-oem", "root");
        assertThat(a.fullName()).contains("CronDaemon");
        assertThat(a.ignoreDots()).isTrue();
        assertThat(a.bodyType()).contains("8BITMIME");
        assertThat(a.recipients()).containsExactly("root");
        assertThat(a.extractRecipients()).isFalse();
    }

    @Test
    void cronie() throws CliException {
        SendmailArguments a = parse("-FCronDaemon", "-i", "-odi", "-oem", "-oi", "-t", "-f", "root");
        assertThat(a.extractRecipients()).isTrue();
        assertThat(a.from()).contains("root");
        assertThat(a.ignoreDots()).isTrue();
        assertThat(a.recipients()).isEmpty();
    }

    @Test
    void mutt() throws CliException {
        SendmailArguments a = parse("-oem", "-oi", "-N", "failure,delay", "-R", "hdrs", "-V", "env-42",
                "-B8BITMIME", "--", "alice@example.org", "-bob@example.org");
        assertThat(a.ignoreDots()).isTrue();
        assertThat(a.dsnNotify()).containsExactlyInAnyOrder(DsnNotify.FAILURE, DsnNotify.DELAY);
        assertThat(a.dsnReturn()).contains(DsnReturn.HDRS);
        assertThat(a.envelopeId()).contains("env-42");
        assertThat(a.recipients()).containsExactly("alice@example.org", "-bob@example.org");
    }

    @Test
    void gitSendEmailStyleAndClusters() throws CliException {
        SendmailArguments a = parse("-ti", "-fme@example.org", "a@example.org, b@example.org");
        assertThat(a.extractRecipients()).isTrue();
        assertThat(a.ignoreDots()).isTrue();
        assertThat(a.from()).contains("me@example.org");
        assertThat(a.recipients()).containsExactly("a@example.org", "b@example.org");
    }

    @Test
    void withoutDashIDotsEndTheMessage() throws CliException {
        assertThat(parse("root").ignoreDots()).isFalse();
        assertThat(parse("-oem", "root").ignoreDots()).isFalse();
    }

    @Test
    void jsmtpOwnOptions() throws CliException {
        SendmailArguments a = parse("-C", "/etc/jsmtp", "-a", "alerts", "-v", "root");
        assertThat(a.configFile()).contains("/etc/jsmtp");
        assertThat(a.account()).contains("alerts");
        assertThat(a.verbose()).isTrue();
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> parse("-q")).hasMessageContaining("unknown option -q")
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(64);
        assertThatThrownBy(() -> parse("-i")).hasMessageContaining("no recipients");
        assertThatThrownBy(() -> parse("-t", "-f")).hasMessageContaining("-f needs an argument");
        assertThatThrownBy(() -> parse("-N", "never,success", "a@x")).hasMessageContaining("never");
        assertThatThrownBy(() -> parse("-R", "all", "a@x")).hasMessageContaining("full or hdrs");
        assertThatThrownBy(() -> parse("-B", "9BIT", "a@x")).hasMessageContaining("-B takes");
    }
}
