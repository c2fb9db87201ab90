package dev.jsmtp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code send} composing a message from its options: what reaches the server, and what is refused before. */
class ComposeTest {

    @TempDir
    Path dir;

    private TestCli send(FakeSmtpServer server, String... extra) {
        TestCli t = new TestCli(dir);
        List<String> args = new ArrayList<>(List.of("send", "--server", server.address(), "--tls", "none",
                "--timeout", "2", "--to", "b@example.org", "--body", "hello"));
        args.addAll(List.of(extra));
        t.exit = t.run(args.toArray(String[]::new));
        return t;
    }

    @Test
    void headersTheBuilderOwnsGoToItsMethods() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = send(server, "--from", "a@example.org",
                    "--header", "Reply-To: r@example.org, Desk <desk@example.org>",
                    "--header", "In-Reply-To: <1@example.org>",
                    "--header", "References: <0@example.org> <1@example.org>",
                    "--header", "Message-ID: <mine@example.org>",
                    "--header", "Date: Tue, 3 Jun 2025 10:15:00 +0200",
                    "--header", "X-Ticket: 42");
            assertThat(t.exit).as(t.err()).isZero();
            String m = server.messages.get(0);
            assertThat(m).contains("Reply-To: r@example.org, Desk <desk@example.org>\r\n",
                    "In-Reply-To: <1@example.org>\r\n", "References: <0@example.org> <1@example.org>\r\n",
                    "Message-ID: <mine@example.org>\r\n", "Date: Tue, 3 Jun 2025 10:15:00 +0200\r\n",
                    "X-Ticket: 42\r\n");
            assertThat(m.lines().filter(l -> l.startsWith("Message-ID:"))).hasSize(1);
            assertThat(m.lines().filter(l -> l.startsWith("Date:"))).hasSize(1);
        }
    }

    @Test
    void aSenderHeaderLeavesTheEnvelopeSenderToFrom() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = send(server, "--from", "boss@example.org", "--header", "Sender: secretary@example.org");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(server.received).contains("MAIL FROM:<boss@example.org>");
            assertThat(server.messages.get(0)).contains("From: boss@example.org\r\n",
                    "Sender: secretary@example.org\r\n");
        }
    }

    @Test
    void headersOtherOptionsOrTheMimeWriterSetAreUsageErrors() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            String[][] cases = {
                {"To: x@example.org", "--header To: use --to"},
                {"subject: x", "--header subject: use --subject"},
                {"From: x@example.org", "--header From: use --from"},
                {"Content-Type: text/html", "--header Content-Type: jsmtp writes this field"},
                {"MIME-Version: 1.0", "--header MIME-Version: jsmtp writes this field"},
                {"Date: yesterday", "--header Date: not an RFC 5322 date such as"},
            };
            for (String[] c : cases) {
                TestCli t = send(server, "--from", "a@example.org", "--header", c[0]);
                assertThat(t.exit).as(c[0]).isEqualTo(64);
                assertThat(t.err()).as(c[0]).startsWith("jsmtp: " + c[1]).doesNotContain("builder");
            }
            assertThat(server.received).isEmpty();
        }
    }

    @Test
    void aNullReversePathTakesTheAuthorFromAFromHeader() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = send(server, "--from", "<>", "--header", "From: robot@example.org");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(server.received).contains("MAIL FROM:<>");
            assertThat(server.messages.get(0)).contains("From: robot@example.org\r\n");

            TestCli noAuthor = send(server, "--from", "<>");
            assertThat(noAuthor.exit).isEqualTo(64);
            assertThat(noAuthor.err()).contains("--from '<>'").contains("--header 'From: ADDR'");
        }
    }

    @Test
    void aNullReversePathWithAnExistingMessage() throws IOException {
        Path eml = java.nio.file.Files.writeString(dir.resolve("bounce.eml"),
                "From: MAILER-DAEMON@example.org\r\nTo: b@example.org\r\nSubject: bounce\r\n\r\nsorry\r\n");
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = new TestCli(dir);
            t.exit = t.run("send", "--server", server.address(), "--tls", "none", "--timeout", "2", "--from", "<>",
                    "--eml", eml.toString());
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(server.received).contains("MAIL FROM:<>", "RCPT TO:<b@example.org>");
        }
    }

    @Test
    void controlCharactersInAddressesAreShownEscapedOnce() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = send(server, "--from", "a@example.org", "--to", "a\u001b[31mred@example.org");
            assertThat(t.exit).isEqualTo(65);
            assertThat(t.err()).isEqualTo("jsmtp: --to: control character in address: a\\x1B[31mred@example.org\n");
            assertThat(server.received).isEmpty();
        }
    }

    @Test
    void anAttachmentThatCannotBeReadIsAnIoErrorInPlainWords() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli directory = send(server, "--from", "a@example.org", "--attach", dir.toString());
            assertThat(directory.exit).isEqualTo(74);
            assertThat(directory.err()).isEqualTo("jsmtp: --attach: cannot read " + dir + ": is a directory\n");
            TestCli missing = send(server, "--from", "a@example.org", "--attach", dir.resolve("nope").toString());
            assertThat(missing.exit).isEqualTo(74);
            assertThat(missing.err()).doesNotContain("Exception");
            assertThat(server.received).isEmpty();
        }
    }

    @Test
    void dashLedTextIsAValue() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = send(server, "--from", "a@example.org", "--subject=--json");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(t.out()).doesNotStartWith("{");
            assertThat(server.messages.get(0)).contains("Subject: --json\r\n");
            TestCli v = send(server, "--from", "a@example.org", "--subject", "-v");
            assertThat(v.exit).as(v.err()).isZero();
            assertThat(v.err()).isEmpty();
            assertThat(server.messages.get(1)).contains("Subject: -v\r\n");
        }
    }
}
