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

/** {@code jsmtp send} in-process against a scripted loopback server: outcomes, output and exit statuses. */
class SendTest {

    @TempDir
    Path dir;

    private Path eml() throws IOException {
        Path f = dir.resolve("m.eml");
        Files.writeString(f, "From: a@example.org\r\nTo: b@example.org\r\nSubject: test\r\n\r\nhello\r\n.dot line\r\n");
        return f;
    }

    private TestCli send(FakeSmtpServer server, String... extra) throws IOException {
        TestCli t = new TestCli(dir);
        List<String> args = new ArrayList<>(List.of("send", "--server", server.address(), "--tls", "none",
                "--from", "a@example.org", "--eml", eml().toString()));
        args.addAll(List.of(extra));
        if (!args.contains("--timeout")) {
            args.addAll(List.of("--timeout", "2"));
        }
        t.exit = t.run(args.toArray(String[]::new));
        return t;
    }

    @Test
    void sentPrintsTheFinalReplyAndTheAcceptedRecipients() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = send(server, "--to", "b@example.org, c@example.org");
            assertThat(t.exit).isZero();
            assertThat(t.out()).isEqualTo("250 2.0.0 queued as FAKE1 (accepted: b@example.org, c@example.org)\n");
            assertThat(t.err()).isEmpty();
            assertThat(server.messages).singleElement().asString().contains("Subject: test").contains("\r\n.dot line");
        }
    }

    @Test
    void aMessageWhoseFromDoesNotParseSaysSoWhenNoFromIsGiven() throws IOException {
        Path f = dir.resolve("bad-from.eml");
        Files.writeString(f, "From: Joe \u0007 <joe@example.org\r\nTo: b@example.org\r\n\r\nhello\r\n");
        TestCli t = new TestCli(dir);
        int exit = t.run("send", "--server", "127.0.0.1:1", "--tls", "none", "--eml", f.toString());
        assertThat(exit).isEqualTo(64);
        assertThat(t.err()).contains("no sender: give --from (the message's From field does not parse")
                .doesNotContain("\u0007").doesNotContain("has no From");
    }

    @Test
    void aRefusedRecipientMeansNothingIsSentAndExit67() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(
                line -> line.contains("<c@example.org>") ? "550 5.1.1 <c@example.org> unknown" : null)) {
            TestCli t = send(server, "--to", "b@example.org", "--to", "c@example.org");
            assertThat(t.exit).isEqualTo(67);
            assertThat(t.err()).contains("refused <c@example.org>: 550 5.1.1 <c@example.org> unknown")
                    .contains("nothing was sent");
            assertThat(server.messages).isEmpty();
            assertThat(server.verbs()).contains("RSET").doesNotContain("DATA");
        }
    }

    @Test
    void allowPartialDeliversToTheAcceptedAndExits0() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(
                line -> line.contains("<c@example.org>") ? "550 5.1.1 unknown" : null)) {
            TestCli t = send(server, "--to", "b@example.org,c@example.org", "--allow-partial");
            assertThat(t.exit).isZero();
            assertThat(t.err()).contains("refused <c@example.org>: 550 5.1.1 unknown");
            assertThat(t.out()).contains("(accepted: b@example.org)");
            assertThat(server.messages).hasSize(1);
        }
    }

    @Test
    void temporaryRefusalsAndTimeoutsExit75() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> line.startsWith("RCPT") ? "450 4.2.1 busy" : null)) {
            assertThat(send(server, "--to", "b@example.org").exit).isEqualTo(75);
        }
        try (FakeSmtpServer server = new FakeSmtpServer(line -> line.startsWith("MAIL") ? "451 4.3.0 later" : null)) {
            assertThat(send(server, "--to", "b@example.org").exit).isEqualTo(75);
        }
        try (FakeSmtpServer server = new FakeSmtpServer("421 4.3.2 shutting down", line -> null)) {
            assertThat(send(server, "--to", "b@example.org").exit).isEqualTo(75);
        }
        try (FakeSmtpServer server = new FakeSmtpServer(line -> line.startsWith("MAIL") ? FakeSmtpServer.STALL : null)) {
            long start = System.nanoTime();
            TestCli t = send(server, "--to", "b@example.org", "--timeout", "1");
            assertThat(t.exit).isEqualTo(75);
            assertThat(t.err()).contains("timed out");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
        }
        try (FakeSmtpServer silent = new FakeSmtpServer(FakeSmtpServer.STALL, line -> null)) {
            TestCli t = new TestCli(dir);
            assertThat(t.run("send", "--server", silent.address(), "--tls", "starttls", "--timeout", "1",
                    "--quit-after", "connect")).isEqualTo(75);
            assertThat(t.err()).contains("greeting").contains("hint: ").contains("--tls implicit");
        }
    }

    @Test
    void connectionRefusedExits75() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        TestCli t = new TestCli(dir);
        assertThat(t.run("send", "--server", "127.0.0.1:" + port, "--tls", "none", "--from", "a@example.org",
                "--to", "b@example.org", "--eml", eml().toString())).isEqualTo(75);
        assertThat(t.err()).startsWith("jsmtp: ");
    }

    @Test
    void unknownHostExits68() throws IOException {
        TestCli t = new TestCli(dir);
        assertThat(t.run("send", "--server", "no-such-host.invalid", "--tls", "none", "--timeout", "5",
                "--from", "a@example.org", "--to", "b@example.org", "--eml", eml().toString())).isEqualTo(68);
    }

    @Test
    void permanentRefusalsOfTheSessionOrTransactionExit69() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer("554 5.3.2 no service for you", line -> null)) {
            assertThat(send(server, "--to", "b@example.org").exit).isEqualTo(69);
        }
        try (FakeSmtpServer server = new FakeSmtpServer(line -> line.equals(".") ? "554 5.7.1 looks like spam" : null)) {
            TestCli t = send(server, "--to", "b@example.org");
            assertThat(t.exit).isEqualTo(69);
            assertThat(t.err()).contains("554 5.7.1 looks like spam");
        }
    }

    @Test
    void malformedRepliesExit76() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> line.startsWith("MAIL") ? "25O ok" : null)) {
            assertThat(send(server, "--to", "b@example.org").exit).isEqualTo(76);
        }
    }

    @Test
    void refusedAuthenticationAndMissingStarttlsExit77() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(
                line -> line.startsWith("AUTH PLAIN ") ? "535 5.7.8 bad credentials" : null)) {
            TestCli t = send(server, "--to", "b@example.org", "--user", "me", "--password-cmd", "echo pw",
                    "--allow-cleartext-auth", "--auth", "PLAIN");
            assertThat(t.exit).isEqualTo(77);
            assertThat(server.messages).isEmpty();
        }
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = new TestCli(dir);
            assertThat(t.run("send", "--server", server.address(), "--tls", "starttls", "--quit-after", "tls"))
                    .isEqualTo(77);
            assertThat(t.err()).contains("STARTTLS");
        }
    }

    @Test
    void quitAfterRcptSendsNoData() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = send(server, "--to", "b@example.org", "--quit-after", "rcpt");
            assertThat(t.exit).isZero();
            assertThat(t.out()).startsWith("quit after rcpt: 250");
            assertThat(server.verbs()).contains("MAIL", "RCPT", "QUIT").doesNotContain("DATA");
        }
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = new TestCli(dir);
            assertThat(t.run("send", "--server", server.address(), "--tls", "none", "--quit-after", "ehlo")).isZero();
            assertThat(server.verbs()).containsExactly("EHLO", "QUIT");
        }
    }

    @Test
    void transcriptShowsTheConversationOnStandardError() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = send(server, "--to", "b@example.org", "-v");
            assertThat(t.exit).isZero();
            assertThat(t.err()).containsPattern("\\[\\+\\d+\\.\\d{3}] S: 220 fake.example.org ESMTP")
                    .contains("C: EHLO ").contains("C: MAIL FROM:<a@example.org>").contains("C: RCPT TO:<b@example.org>")
                    .contains("S: 250 2.0.0 queued as FAKE1").contains("C: QUIT");
            assertThat(t.out()).doesNotContain("C: ");
        }
    }

    @Test
    void jsonReportsTheResultAsOneObject() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = send(server, "--to", "b@example.org", "--json");
            assertThat(t.exit).isZero();
            assertThat(t.out()).startsWith("{\"sent\":true,\"exitCode\":0,\"server\":\"" + server.address() + "\"")
                    .contains("\"reply\":{\"code\":250,\"enhancedStatus\":\"2.0.0\",\"text\":\"2.0.0 queued as FAKE1\"}")
                    .contains("\"accepted\":[{\"recipient\":\"b@example.org\"").endsWith("}\n");
        }
        try (FakeSmtpServer server = new FakeSmtpServer(line -> line.startsWith("RCPT") ? "550 5.1.1 unknown" : null)) {
            TestCli t = send(server, "--to", "b@example.org", "--json");
            assertThat(t.exit).isEqualTo(67);
            assertThat(t.out()).startsWith("{\"sent\":false,\"exitCode\":67,").contains("\"transient\":false")
                    .contains("\"refused\":[{\"recipient\":\"b@example.org\"");
        }
    }

    @Test
    void composedMessagesGoToToCcAndBccWithoutShowingBcc() throws IOException {
        Path attachment = dir.resolve("report.csv");
        Files.writeString(attachment, "a,b\n1,2\n");
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = new TestCli(dir);
            t.exit = t.run("send", "--server", server.address(), "--tls", "none", "--from", "a@example.org",
                    "--to", "b@example.org", "--cc", "c@example.org", "--bcc", "hidden@example.org",
                    "--subject", "Quarterly", "--body", "See attached.", "--attach", attachment.toString(),
                    "--header", "X-Priority: 1");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(server.received).contains("RCPT TO:<b@example.org>", "RCPT TO:<c@example.org>",
                    "RCPT TO:<hidden@example.org>");
            assertThat(server.messages.get(0)).contains("Subject: Quarterly").contains("X-Priority: 1")
                    .contains("See attached.").contains("report.csv").doesNotContain("hidden@example.org")
                    .containsPattern("Message-ID: <[0-9a-z]+\\.[0-9a-z]+\\.[0-9a-z]+\\.jsmtp@example\\.org>")
                    .containsPattern("Date: .* \\+0000");
        }
    }

    @Test
    void theBodyComesFromStandardInputWhenItIsNotATerminal() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = new TestCli(dir);
            t.stdinIsTerminal = false;
            t.stdin = "piped body text\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            t.exit = t.run("send", "--server", server.address(), "--tls", "none", "--from", "a@example.org",
                    "--to", "b@example.org", "--subject", "pipe");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(server.messages.get(0)).contains("piped body text");
        }
    }

    @Test
    void anUnknownAuthMechanismIsAUsageErrorBeforeAnyConnection() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = new TestCli(dir);
            t.env.put("PW", "secret");
            t.exit = t.run("send", "--server", server.address(), "--tls", "none", "--allow-cleartext-auth", "--user",
                    "alice", "--password-env", "PW", "--auth", "BOGUS", "--from", "a@example.org", "--to",
                    "b@example.org", "--body", "x");
            assertThat(t.exit).isEqualTo(64);
            assertThat(t.err()).contains("--auth: unsupported SASL mechanism BOGUS").doesNotContain("internal error");
            assertThat(server.received).isEmpty();
        }
    }

    @Test
    void aTimeoutBeyondADayIsAUsageError() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = send(server, "--to", "b@example.org", "--timeout", "2147484");
            assertThat(t.exit).isEqualTo(64);
            assertThat(t.err()).contains("--timeout must be 1 to 86400 seconds");
            assertThat(server.received).isEmpty();
        }
    }

    @Test
    void quitAfterRcptTriesEveryRecipientAndListsEachRefusal() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> line.contains("<bad") ? "550 5.1.1 unknown" : null)) {
            TestCli t = send(server, "--to", "bad1@example.org,ok@example.org,bad2@example.org", "--quit-after",
                    "rcpt");
            assertThat(t.exit).isEqualTo(67);
            assertThat(t.err()).contains("refused <bad1@example.org>: 550 5.1.1 unknown")
                    .contains("refused <bad2@example.org>: 550 5.1.1 unknown");
            assertThat(server.verbs()).containsSubsequence("RCPT", "RCPT", "RCPT", "QUIT").doesNotContain("DATA");

            t = send(server, "--to", "bad1@example.org,ok@example.org", "--quit-after", "rcpt", "--allow-partial",
                    "--json");
            assertThat(t.exit).isZero();
            assertThat(t.out()).contains("\"quitAfter\":\"rcpt\"").contains("bad1@example.org");
        }
    }

    @Test
    void anIntermediateReplyToRcptIsAProtocolError() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> line.startsWith("RCPT") ? "354 go ahead" : null)) {
            TestCli t = send(server, "--to", "b@example.org");
            assertThat(t.exit).isEqualTo(76);
            assertThat(server.messages).isEmpty();
        }
    }

    @Test
    void starttlsRefusedWith454IsTemporaryWhenRequiredAndPlainTextWhenOpportunistic() throws IOException {
        java.util.function.Function<String, String> replies = line -> line.toUpperCase().startsWith("EHLO")
                ? FakeSmtpServer.EHLO_PLAIN.replace("250-8BITMIME", "250-8BITMIME\r\n250-STARTTLS")
                : line.equalsIgnoreCase("STARTTLS") ? "454 4.7.0 TLS not available due to temporary reason" : null;
        try (FakeSmtpServer server = new FakeSmtpServer(replies)) {
            TestCli t = new TestCli(dir);
            t.exit = t.run("send", "--server", server.address(), "--tls", "starttls", "--from", "a@example.org",
                    "--to", "b@example.org", "--body", "x", "--timeout", "2");
            assertThat(t.exit).as(t.err()).isEqualTo(75);
            assertThat(t.err()).contains("STARTTLS refused: 454");
            assertThat(server.messages).isEmpty();

            t = new TestCli(dir);
            t.exit = t.run("send", "--server", server.address(), "--tls", "starttls-opportunistic", "--from",
                    "a@example.org", "--to", "b@example.org", "--body", "x", "--timeout", "2", "-v");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(t.err()).contains("STARTTLS refused (454); continuing without TLS (opportunistic)");
            assertThat(server.messages).hasSize(1);
        }
    }

    @Test
    void probeShowsWhyACertificateDidNotVerifyAgainstTheGivenCa() throws Exception {
        try (DemoServer demo = DemoServer.start()) {
            ThrowawayCertificate other = ThrowawayCertificate.make(Files.createDirectories(dir.resolve("other")));
            TestCli t = new TestCli(dir);
            t.exit = t.run("probe", "--server", "127.0.0.1:" + demo.port(), "--tls", "implicit", "--cafile",
                    other.pemFile().toString(), "--timeout", "10");
            assertThat(t.exit).as(t.err()).isEqualTo(77);
            assertThat(t.out()).contains("TLS:").contains("Verified:      NO - ");
            assertThat(t.err()).doesNotContain("internal error");
        }
    }
}
