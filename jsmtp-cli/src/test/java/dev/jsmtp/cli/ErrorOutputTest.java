package dev.jsmtp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code send}, {@code probe} and sendmail mode print when things go wrong: one line (plus hints) naming what
 * was sent and what came back, escaped exactly once, with the sysexits.h status docs/cli.md documents, never a
 * stack trace.
 */
class ErrorOutputTest {

    @TempDir
    Path home;

    // --- escaped exactly once -------------------------------------------------------------------------------

    @Test
    void sendPrintsACoreMessageEscapedOnce() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = send(server.address(), "--header", "X-A\u0007: y");
            assertThat(t.exit).isEqualTo(ExitCode.DATA_ERROR);
            assertSafe(t);
            assertThat(t.err()).isEqualTo("jsmtp: header name must be printable US-ASCII without ':' (RFC 5322 "
                    + "ftext): X-A\\x07\n");
            assertThat(server.received).isEmpty();
        }
    }

    @Test
    void probePrintsTheServersReplyEscapedOnce() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer("554 5.7.1 no\u0007 service \\ here", line -> null)) {
            TestCli t = new TestCli(home);
            t.exit = t.run("probe", "--server", server.address(), "--tls", "none", "--timeout", "5");
            assertThat(t.exit).isEqualTo(ExitCode.UNAVAILABLE);
            assertThat(t.out()).isEqualTo("Server:        " + server.address() + " (none)\n");
            assertSafe(t);
            // The core doubles the backslash the server sent (so that \x07 cannot be forged); nothing doubles it again.
            assertThat(firstLine(t)).isEqualTo("jsmtp: the server refused the session in its greeting: "
                    + "554 5.7.1 no\\x07 service \\\\ here (" + server.address() + ")");
        }
    }

    @Test
    void sendmailModePrintsACoreMessageEscapedOnce() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = sendmail(server, "To: (x\u0007 @example.org\nSubject: hi\n\nhello\n", "-t", "-i");
            assertThat(t.exit).as(t.err()).isEqualTo(ExitCode.DATA_ERROR);
            assertSafe(t);
            assertThat(t.err()).startsWith("jsmtp: a recipient field does not parse: ").contains("x\\x07 ")
                    .doesNotContain("\\\\x07");
            assertThat(server.received).isEmpty();
        }
    }

    @Test
    void sendmailModeNamesABadRecipientArgumentAsARecipientNotAnOption() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = sendmail(server, "Subject: hi\n\nhello\n", "-i", "b\u0007@example.org");
            assertThat(t.exit).as(t.err()).isIn(ExitCode.USAGE, ExitCode.DATA_ERROR);
            assertSafe(t);
            assertThat(t.err()).contains("recipient").doesNotContain("--to");
            assertThat(server.received).isEmpty();
        }
    }

    @Test
    void aControlCharacterTheUserTypedIsEscapedToo() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = send(server.address(), "--header", "Bad\u001b[2J");
            assertThat(t.exit).isEqualTo(ExitCode.USAGE);
            assertSafe(t);
            assertThat(t.err()).isEqualTo("jsmtp: --header takes 'Name: value', not 'Bad\\x1B[2J'\n");
        }
    }

    // --- the server behaviours send must explain ------------------------------------------------------------

    @Test
    void aRefusingGreetingNamesTheGreetingTheReplyAndTheServer() throws IOException {
        String[][] cases = {
            {"421 4.3.2 mx.example.org busy, try later", "75", "421 means the server is busy"},
            {"554 5.7.1 no SMTP service here", "69", "554 at the greeting means the server takes no mail"},
        };
        for (String[] c : cases) {
            try (FakeSmtpServer server = new FakeSmtpServer(c[0], line -> null)) {
                TestCli t = send(server.address());
                assertThat(t.exit).as(t.err()).isEqualTo(Integer.parseInt(c[1]));
                assertSafe(t);
                List<String> lines = t.err().lines().toList();
                assertThat(lines).as(t.err()).hasSize(2);
                assertThat(lines.get(0)).isEqualTo("jsmtp: the server refused the session in its greeting: " + c[0]
                        + " (" + server.address() + ")");
                assertThat(lines.get(1)).startsWith("jsmtp: hint: " + c[2]);
                assertThat(server.messages).isEmpty();
            }
        }
    }

    @Test
    void aReplyLineOver512OctetsIsToleratedAndOneOver2048IsAProtocolError() throws IOException {
        String long600 = "250 2.1.0 " + "x".repeat(590);
        try (FakeSmtpServer server = new FakeSmtpServer(line -> line.startsWith("MAIL") ? long600 : null)) {
            TestCli t = send(server.address());
            // RFC 5321 §4.5.3.1.5 says 512; real servers exceed it, and the core reads up to 2048 octets a line.
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(server.messages).hasSize(1);
        }
        String long3000 = "250 2.1.0 " + "x".repeat(2990);
        try (FakeSmtpServer server = new FakeSmtpServer(line -> line.startsWith("MAIL") ? long3000 : null)) {
            TestCli t = send(server.address());
            assertThat(t.exit).as(t.err()).isEqualTo(ExitCode.PROTOCOL);
            assertSafe(t);
            assertThat(firstLine(t)).startsWith("jsmtp: Malformed reply, line longer than 2048 bytes: \"250 2.1.0 xxx")
                    .endsWith("...\" (" + server.address() + ")");
            // The quote is abbreviated: the line stays readable.
            assertThat(firstLine(t).length()).isLessThan(400);
            assertThat(server.messages).isEmpty();
        }
    }

    @Test
    void aServerThatClosesAfterMailIsATemporaryFailureNamingMail() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(
                line -> line.startsWith("MAIL") ? FakeSmtpServer.CLOSE : null)) {
            TestCli t = send(server.address());
            assertThat(t.exit).as(t.err()).isEqualTo(ExitCode.TEMPORARY_FAILURE);
            assertSafe(t);
            assertThat(firstLine(t)).startsWith("jsmtp: connection closed by the server during reply to MAIL FROM")
                    .contains(server.address());
        }
    }

    @Test
    void aRecipientRefusedAmongAcceptedOnesIsListedAloneAndNothingIsSent() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(
                line -> line.startsWith("RCPT TO:<bad") ? "550 5.1.1 <bad@example.net>: user unknown" : null)) {
            TestCli t = send(server.address(), "--to", "bad@example.net", "--to", "ok@example.net");
            assertThat(t.exit).as(t.err()).isEqualTo(ExitCode.NO_USER);
            assertSafe(t);
            assertThat(t.err().lines()).containsExactly(
                    "jsmtp: refused <bad@example.net>: 550 5.1.1 <bad@example.net>: user unknown",
                    "jsmtp: nothing was sent (use --allow-partial to deliver to the accepted recipients)");
            assertThat(t.out()).isEmpty();
            assertThat(server.verbs()).doesNotContain("DATA");
            assertThat(server.messages).isEmpty();

            TestCli partial = send(server.address(), "--to", "bad@example.net", "--to", "ok@example.net",
                    "--allow-partial");
            assertThat(partial.exit).as(partial.err()).isZero();
            assertThat(partial.err()).isEqualTo("jsmtp: refused <bad@example.net>: 550 5.1.1 <bad@example.net>: "
                    + "user unknown\n");
            assertThat(partial.out()).endsWith("(accepted: you@example.net, ok@example.net)\n");
        }
    }

    @Test
    void whenEveryRecipientIsRefusedAllowPartialIsNotAdvised() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(
                line -> line.startsWith("RCPT") ? "550 5.1.1 user unknown" : null)) {
            TestCli t = send(server.address());
            assertThat(t.exit).as(t.err()).isEqualTo(ExitCode.NO_USER);
            assertSafe(t);
            assertThat(t.err().lines()).containsExactly("jsmtp: refused <you@example.net>: 550 5.1.1 user unknown",
                    "jsmtp: nothing was sent");
        }
    }

    @Test
    void anUnknownHostExits68() {
        // .invalid never resolves (RFC 2606 §2).
        TestCli t = send("no-such-host.invalid:25");
        assertThat(t.exit).as(t.err()).isEqualTo(ExitCode.NO_HOST);
        assertSafe(t);
        assertThat(firstLine(t)).startsWith("jsmtp: host not found").contains("no-such-host.invalid");
    }

    @Test
    void aRefusedConnectionExits75NamingTheAddress() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        TestCli t = send("127.0.0.1:" + port);
        assertThat(t.exit).as(t.err()).isEqualTo(ExitCode.TEMPORARY_FAILURE);
        assertSafe(t);
        assertThat(firstLine(t)).isEqualTo("jsmtp: cannot connect: Connection refused (127.0.0.1:" + port + ")");
    }

    private TestCli send(String server, String... extra) {
        TestCli t = new TestCli(home);
        List<String> args = new ArrayList<>(List.of("send", "--server", server, "--tls", "none",
                "--from", "me@example.org", "--to", "you@example.net", "--subject", "Hi", "--body", "Hello",
                "--timeout", "5"));
        args.addAll(List.of(extra));
        t.exit = t.run(args.toArray(String[]::new));
        return t;
    }

    private TestCli sendmail(FakeSmtpServer server, String message, String... args) throws IOException {
        Path config = Files.writeString(home.resolve("config"), "account a\nserver " + server.address()
                + "\ntls none\nfrom me@example.org\ntimeout 5\n");
        TestCli t = new TestCli(home);
        t.stdin = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        t.stdinIsTerminal = false;
        List<String> all = new ArrayList<>(List.of("sendmail", "-C", config.toString()));
        all.addAll(List.of(args));
        t.exit = t.run(all.toArray(String[]::new));
        return t;
    }

    /**
     * No control character, no stack trace, at most two lines on standard error (error and hint), and after a
     * failure nothing on standard output (but probe's header line).
     */
    private static void assertSafe(TestCli t) {
        String everything = t.out() + t.err();
        for (int i = 0; i < everything.length(); i++) {
            char c = everything.charAt(i);
            assertThat((c < 0x20 && c != '\n') || c == 0x7f || (c >= 0x80 && c < 0xa0))
                    .as("U+%04X at %d in:%n%s", (int) c, i, everything).isFalse();
        }
        assertThat(everything).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(t.err().lines().count()).as(t.err()).isBetween(1L, 2L);
        if (t.exit != 0 && !t.out().startsWith("Server: ")) {
            assertThat(t.out()).isEmpty();
        }
    }

    private static String firstLine(TestCli t) {
        return t.err().lines().findFirst().orElse("");
    }
}
