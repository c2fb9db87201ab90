package dev.jsmtp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line run in-process: what is decided before any connection is made. */
class MainTest {

    @TempDir
    Path home;

    private TestCli cli() {
        return new TestCli(home);
    }

    @Test
    void helpListsSubcommandsExamplesAndExitStatuses() {
        TestCli t = cli();
        assertThat(t.run("--help")).isZero();
        assertThat(t.out()).contains("send", "probe", "demo", "sendmail", "completion", "Examples:",
                "67  a recipient was permanently refused", "78  configuration error", "account default : work");
        for (String sub : new String[] {"send", "probe", "demo"}) {
            TestCli s = cli();
            assertThat(s.run(sub, "--help")).isZero();
            assertThat(s.out()).contains("Usage: jsmtp " + sub).contains("Examples:").contains("jsmtp " + sub);
        }
        TestCli send = cli();
        send.run("send", "--help");
        assertThat(send.out()).contains("--quit-after", "--allow-partial", "--timeout", "(default: 60)",
                "--insecure-skip-verify", "Exit status: 0 sent");
    }

    @Test
    void versionNamesTheBuild() {
        TestCli t = cli();
        assertThat(t.run("--version")).isZero();
        assertThat(t.out()).startsWith("jsmtp 0.").contains("Java 17");
    }

    @Test
    void completionScriptCoversTheSubcommands() {
        TestCli t = cli();
        assertThat(t.run("completion")).isZero();
        assertThat(t.out()).contains("complete -F").contains("send").contains("probe").contains("--quit-after");
    }

    @Test
    void completionIsCalledCompletionAndHasJsmtpsVersionAndExamples() {
        TestCli help = cli();
        assertThat(help.run("completion", "--help")).isZero();
        assertThat(help.out()).contains("Usage: jsmtp completion [-hV]", "Examples:", "source <(jsmtp completion)")
                .doesNotContain("generate-completion");
        TestCli version = cli();
        assertThat(version.run("completion", "-V")).isZero();
        TestCli main = cli();
        main.run("--version");
        assertThat(version.out()).startsWith("jsmtp 0.").isEqualTo(main.out());
    }

    @Test
    void everySubcommandsHelpHasAnExample() {
        for (String[] sub : new String[][] {{"send"}, {"probe"}, {"demo"}, {"oauth2"}, {"oauth2", "login"},
            {"oauth2", "token"}, {"oauth2", "logout"}, {"load"}, {"completion"}}) {
            TestCli t = cli();
            String[] args = java.util.Arrays.copyOf(sub, sub.length + 1);
            args[sub.length] = "--help";
            assertThat(t.run(args)).as(String.join(" ", sub)).isZero();
            assertThat(t.out()).as(String.join(" ", sub)).containsPattern("Examples?:")
                    .contains("  jsmtp " + String.join(" ", sub));
        }
    }

    @Test
    void theMainHelpListsEveryExitStatus() {
        TestCli t = cli();
        t.run("--help");
        for (String line : ExitCode.HELP) {
            assertThat(t.out()).contains(line);
        }
    }

    @Test
    void aUsageErrorPrintsTheErrorAndWhereHelpIsNotTheWholeHelp() {
        TestCli t = cli();
        assertThat(t.run("send", "--frm", "a@example.org")).isEqualTo(64);
        assertThat(t.err()).startsWith("jsmtp send: Unknown options: '--frm', 'a@example.org'\n"
                + "Possible solutions: --from\n")
                .endsWith("Try 'jsmtp send --help' for more information.\n")
                .doesNotContain("Usage:").doesNotContain("--quit-after");
        assertThat(t.err().lines().count()).isLessThanOrEqualTo(4);
        TestCli probe = cli();
        assertThat(probe.run("probe", "--timeout", "soon")).isEqualTo(64);
        assertThat(probe.err()).contains("'soon'").endsWith("Try 'jsmtp probe --help' for more information.\n");
        TestCli top = cli();
        assertThat(top.run("frobnicate")).isEqualTo(64);
        assertThat(top.err()).endsWith("Try 'jsmtp --help' for more information.\n").doesNotContain("Usage:");
    }

    @Test
    void repeatedFlagsAreAcceptedAndRepeatedValuesRefused() {
        // Each of these would go on to connect; --server 127.0.0.1:1 is refused at once, so exit 75 shows that
        // the command line itself was accepted.
        for (String[] flags : new String[][] {{"-v", "-v"}, {"-vv"}, {"--json", "--json"}, {"-v", "--transcript"}}) {
            TestCli t = cli();
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("send", "--server",
                    "127.0.0.1:1", "--tls", "none", "--from", "a@example.org", "--to", "b@example.org", "--body",
                    "x", "--timeout", "2"));
            args.addAll(java.util.List.of(flags));
            assertThat(t.run(args.toArray(String[]::new))).as(String.join(" ", flags)).isEqualTo(75);
        }
        TestCli twice = cli();
        assertThat(twice.run("send", "--server", "127.0.0.1:1", "--to", "b@example.org", "--to", "c@example.org",
                "--from", "a@example.org", "-vv", "--from", "z@example.org")).isEqualTo(64);
        assertThat(twice.err()).contains("option '--from' (ADDR) should be specified only once, not as "
                + "a@example.org and z@example.org");
    }

    @Test
    void usageErrorsExit64() {
        assertThat(cli().run("send", "--no-such-option")).isEqualTo(64);
        assertThat(cli().run("frobnicate")).isEqualTo(64);
        TestCli noServer = cli();
        assertThat(noServer.run("send", "--from", "a@example.org", "--to", "b@example.org")).isEqualTo(64);
        assertThat(noServer.err()).contains("no server");
        TestCli badTls = cli();
        assertThat(badTls.run("send", "--server", "h.example.org", "--tls", "maybe")).isEqualTo(64);
        assertThat(badTls.err()).contains("unknown TLS mode 'maybe'");
        assertThat(cli().run("send", "--server", "h.example.org:99999")).isEqualTo(64);
        assertThat(cli().run("send", "--server", "h.example.org", "--quit-after", "data")).isEqualTo(64);
        TestCli orphan = cli();
        assertThat(orphan.run("send", "--server", "h.example.org", "--password-env", "P", "--from", "a@example.org",
                "--to", "b@example.org")).isEqualTo(64);
        assertThat(orphan.err()).contains("without --user");
        assertThat(cli().run("send", "--server", "h.example.org", "--from", "a@example.org", "--to", "b@example.org",
                "--eml", "m.eml", "--subject", "x")).isEqualTo(64);
    }

    @Test
    void lineBreaksInAddressesOrHeadersAreBadInputData() {
        TestCli t = cli();
        assertThat(t.run("send", "--server", "127.0.0.1:1", "--tls", "none", "--from", "a@example.org",
                "--to", "b@example.org\r\nRCPT TO:<evil@example.org>")).isEqualTo(65);
        assertThat(t.err()).contains("--to: contains a CR, LF or NUL").contains("\\r\\n").doesNotContain("\r\n");
        assertThat(cli().run("send", "--server", "127.0.0.1:1", "--tls", "none", "--from", "a@example.org",
                "--to", "b@example.org", "--header", "X-A: 1\nBcc: c@example.org")).isEqualTo(65);
        assertThat(cli().run("send", "--server", "127.0.0.1:1", "--tls", "none", "--from", "a@example.org\n",
                "--to", "b@example.org")).isEqualTo(65);
    }

    @Test
    void cleartextAuthIsRefusedBeforeConnecting() {
        TestCli t = cli();
        t.env.put("PW", "hunter2");
        assertThat(t.run("send", "--server", "127.0.0.1:1", "--tls", "none", "--user", "me", "--password-env", "PW",
                "--from", "a@example.org", "--to", "b@example.org", "--body", "x")).isEqualTo(77);
        assertThat(t.err()).contains("refusing to send credentials").contains("--allow-cleartext-auth")
                .doesNotContain("hunter2");
    }

    @Test
    void missingPasswordSourcesAreConfigurationErrors() {
        TestCli unset = cli();
        assertThat(unset.run("send", "--server", "h.example.org", "--user", "me", "--password-env", "UNSET",
                "--from", "a@example.org", "--to", "b@example.org")).isEqualTo(78);
        assertThat(unset.err()).contains("UNSET is not set");
        TestCli noTerminal = cli();
        assertThat(noTerminal.run("send", "--server", "h.example.org", "--user", "me", "--from", "a@example.org",
                "--to", "b@example.org")).isEqualTo(78);
        assertThat(noTerminal.err()).contains("no terminal to ask on");
        TestCli failing = cli();
        assertThat(failing.run("send", "--server", "h.example.org", "--user", "me", "--password-cmd", "exit 2",
                "--from", "a@example.org", "--to", "b@example.org")).isEqualTo(78);
        assertThat(failing.err()).contains("exited with status 2");
    }

    @Test
    void configErrorsNameFileAndLine() throws Exception {
        Path config = home.resolve("bad-config");
        Files.writeString(config, "account a\nserver h.example.org\nhots typo\n");
        TestCli t = cli();
        assertThat(t.run("send", "--config", config.toString(), "--to", "b@example.org")).isEqualTo(78);
        assertThat(t.err()).contains(config + ":3: unknown key 'hots'");
        TestCli missingAccount = cli();
        Files.writeString(config, "account a\nserver h.example.org\n");
        assertThat(missingAccount.run("send", "--config", config.toString(), "--account", "b", "--to",
                "b@example.org")).isEqualTo(78);
        assertThat(missingAccount.err()).contains("no account 'b'");
    }

    @Test
    void jsonReportsFailuresAsOneObject() {
        TestCli t = cli();
        assertThat(t.run("send", "--json", "--from", "a@example.org", "--to", "b@example.org")).isEqualTo(64);
        assertThat(t.out().strip()).startsWith("{\"sent\":false,\"exitCode\":64,").contains("\"error\":\"no server")
                .doesNotContain("\n");
    }

    @Test
    void sendmailModeNeedsAnAccountAndRefusesUnknownOptions() throws Exception {
        TestCli none = cli();
        assertThat(none.run("sendmail", "root")).isEqualTo(78);
        assertThat(none.err()).contains("sendmail mode needs an account");
        TestCli unknown = cli();
        assertThat(unknown.run("sendmail", "-q", "root")).isEqualTo(64);
        assertThat(unknown.err()).contains("unknown option -q").contains("usage: sendmail");
        Path config = home.resolve("c");
        Files.writeString(config, "account a\nserver 127.0.0.1:1\ntls none\n");
        TestCli noFrom = cli();
        assertThat(noFrom.run("sendmail", "-C", config.toString(), "root")).isEqualTo(78);
        assertThat(noFrom.err()).contains("no sender");
        TestCli injected = cli();
        assertThat(injected.run("sendmail", "-C", config.toString(), "-f", "a@example.org\r\nDATA", "root"))
                .isEqualTo(65);
    }
}
