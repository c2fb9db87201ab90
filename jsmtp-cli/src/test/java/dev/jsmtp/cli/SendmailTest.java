package dev.jsmtp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Sendmail mode in-process against a scripted loopback server, as cron and mutt use it. */
class SendmailTest {

    @TempDir
    Path dir;

    private static final String MESSAGE = "From: cron@example.org\n"
            + "To: Root <root@example.org>\n"
            + "Cc: ops@example.org\n"
            + "Bcc: secret-audit@example.org\n"
            + "Subject: cron output\n"
            + "\n"
            + "line one\n"
            + ".\n"
            + "after a lone dot\n";

    private TestCli sendmail(FakeSmtpServer server, String message, String... args) throws IOException {
        Path config = dir.resolve("config");
        Files.writeString(config, "account local\nserver " + server.address() + "\ntls none\nfrom cron@example.org\n"
                + "timeout 5\naccount default : local\n");
        TestCli t = new TestCli(dir);
        t.env.put("JSMTP_CONFIG", config.toString());
        t.stdin = message.getBytes(StandardCharsets.UTF_8);
        t.stdinIsTerminal = false;
        String[] all = new String[args.length + 1];
        all[0] = "sendmail";
        System.arraycopy(args, 0, all, 1, args.length);
        t.exit = t.run(all);
        return t;
    }

    @Test
    void dashTTakesRecipientsFromTheHeadersAndRemovesBcc() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = sendmail(server, MESSAGE, "-FCronDaemon", "-i", "-odi", "-oem", "-oi", "-t", "-f", "root@example.org");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(t.out()).isEmpty();
            assertThat(server.received).contains("MAIL FROM:<root@example.org>", "RCPT TO:<root@example.org>",
                    "RCPT TO:<ops@example.org>", "RCPT TO:<secret-audit@example.org>");
            String delivered = server.messages.get(0);
            assertThat(delivered).contains("To: Root <root@example.org>").contains("Cc: ops@example.org")
                    .doesNotContainIgnoringCase("bcc").doesNotContain("secret-audit")
                    .contains("line one\r\n.\r\nafter a lone dot");
        }
    }

    @Test
    void withoutDashIALoneDotEndsTheMessageAndArgumentsAreTheRecipients() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = sendmail(server, MESSAGE, "-oem", "admin@example.org");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(server.received).contains("RCPT TO:<admin@example.org>")
                    .noneMatch(l -> l.contains("root@example.org") || l.contains("secret-audit"));
            assertThat(server.messages.get(0)).contains("line one").doesNotContain("after a lone dot")
                    .doesNotContainIgnoringCase("bcc:");
        }
    }

    @Test
    void alwaysAllOrNothing() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(
                line -> line.contains("<ops@example.org>") ? "550 5.1.1 no such user" : null)) {
            TestCli t = sendmail(server, MESSAGE, "-t", "-i");
            assertThat(t.exit).isEqualTo(67);
            assertThat(t.err()).contains("refused <ops@example.org>: 550 5.1.1 no such user");
            assertThat(server.messages).isEmpty();
        }
    }

    @Test
    void fullNameMakesAFromHeaderWhenTheMessageHasNone() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = sendmail(server, "Subject: hi\n\nbody\n", "-FCron Daemon", "-i", "root@example.org");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(server.messages.get(0)).startsWith("From: \"Cron Daemon\" <cron@example.org>\r\n");
        }
    }

    @Test
    void dsnOptionsReachTheEnvelope() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(
                line -> line.toUpperCase().startsWith("EHLO") ? FakeSmtpServer.EHLO_PLAIN.replace("250-8BITMIME",
                        "250-8BITMIME\r\n250-DSN") : null)) {
            TestCli t = sendmail(server, MESSAGE, "-i", "-N", "failure,delay", "-R", "hdrs", "-V", "env42",
                    "root@example.org");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(server.received).anyMatch(l -> l.startsWith("MAIL FROM:<cron@example.org>")
                    && l.contains("RET=HDRS") && l.contains("ENVID=env42"));
            assertThat(server.received).anyMatch(l -> l.startsWith("RCPT TO:<root@example.org>")
                    && l.contains("NOTIFY=FAILURE,DELAY"));
        }
    }

    @Test
    void cronieBareUserNamesAreQualifiedWithTheAccountsDomain() throws IOException {
        // cronie runs: sendmail -FCronDaemon -i -odi -oem -oi -t -f root, with "To: root" in the message.
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = sendmail(server, "To: root\nSubject: Cron <root@host> run-parts\n\nok\n", "-FCronDaemon",
                    "-i", "-odi", "-oem", "-oi", "-t", "-f", "root");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(server.received).contains("MAIL FROM:<root@example.org>", "RCPT TO:<root@example.org>");
            // The header is delivered as written, as msmtp does; only the envelope is completed.
            assertThat(server.messages.get(0)).contains("\r\nTo: root\r\n");
        }
    }

    @Test
    void debianCronBareRecipientArgumentIsQualified() throws IOException {
        // Debian's cron runs: sendmail -FCronDaemon -i -B8BITMIME -oem root
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = sendmail(server, "Subject: Cron <root@host> test\n\nok\n", "-FCronDaemon", "-i",
                    "-B8BITMIME", "-oem", "root", "Ops Team <ops>");
            assertThat(t.exit).as(t.err()).isEqualTo(65);
            assertThat(t.err()).contains("not an address: Ops Team <ops>");
            t = sendmail(server, "Subject: Cron <root@host> test\n\nok\n", "-FCronDaemon", "-i", "-B8BITMIME",
                    "-oem", "root");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(server.received).contains("MAIL FROM:<cron@example.org>", "RCPT TO:<root@example.org>");
        }
    }

    @Test
    void headerRecipientsWithDisplayNamesAndBareNamesMix() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = sendmail(server, "To: Root <root>, \"Ops, Night\" <ops@example.net>, admin\n\nok\n", "-t",
                    "-i");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(server.received).contains("RCPT TO:<root@example.org>", "RCPT TO:<ops@example.net>",
                    "RCPT TO:<admin@example.org>");
        }
    }

    @Test
    void aMessageWithoutDateOrMessageIdGetsThem() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = sendmail(server, MESSAGE, "-t", "-i");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(server.messages.get(0)).containsPattern("(?m)^Date: \\w{3}, \\d{1,2} \\w{3} \\d{4} "
                    + "\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\r\n").containsPattern("(?m)^Message-ID: <[^>]+@example.org>\r\n");
            String dated = "Date: Fri, 21 Nov 1997 09:55:06 -0600\nMessage-ID: <1234@local.machine.example>\n"
                    + MESSAGE;
            t = sendmail(server, dated, "-t", "-i");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(server.messages.get(1)).startsWith(
                    "Date: Fri, 21 Nov 1997 09:55:06 -0600\r\nMessage-ID: <1234@local.machine.example>\r\n")
                    .containsOnlyOnce("Date:").containsOnlyOnce("Message-ID:");
        }
    }

    @Test
    void helpDescribesTheModeWithExamplesAndExitsZero() throws IOException {
        TestCli t = new TestCli(dir);
        t.exit = t.run("sendmail", "--help");
        assertThat(t.exit).isZero();
        assertThat(t.out()).startsWith("usage: sendmail").contains("Examples:").contains("jsmtp sendmail -t -i")
                .contains("75 temporary failure");
    }

    @Test
    void refusalsDoNotAdviseAnOptionSendmailModeLacks() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(
                line -> line.contains("<ops@example.org>") ? "550 5.1.1 no such user" : null)) {
            TestCli t = sendmail(server, MESSAGE, "-t", "-i");
            assertThat(t.exit).isEqualTo(67);
            assertThat(t.err()).contains("nothing was sent").doesNotContain("--allow-partial");
        }
    }

    @Test
    void qualifyDomainInTheAccountCompletesBareNames() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            Path config = dir.resolve("qualified");
            Files.writeString(config, "account local\nserver " + server.address() + "\ntls none\n"
                    + "from cron@example.org\nqualify-domain ops.example.net\ntimeout 5\naccount default : local\n");
            TestCli t = new TestCli(dir);
            t.stdin = "Subject: x\n\nok\n".getBytes(StandardCharsets.UTF_8);
            t.stdinIsTerminal = false;
            t.exit = t.run("sendmail", "-C", config.toString(), "-i", "-f", "root", "admin");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(server.received).contains("MAIL FROM:<root@ops.example.net>",
                    "RCPT TO:<admin@ops.example.net>");
        }
    }
}
