package dev.jsmtp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code send --quit-after ehlo|tls|auth} tells what the stage it stopped after established (RFC 5321 §4.1.1.1,
 * RFC 3207, RFC 4954): the extensions, the TLS session, the identity authenticated as — once: with {@code -v} the
 * transcript shows it and standard output only says where it stopped.
 */
class QuitAfterTest {

    private static final String EXTENSIONS = "the server offers PIPELINING, 8BITMIME, ENHANCEDSTATUSCODES, "
            + "AUTH PLAIN LOGIN";

    // The demo servers are reached with --insecure-skip-verify: GreenMail keeps the first key store it loads in a
    // JVM, so a second DemoServer's --cafile would not match what it presents when other tests ran before.
    @TempDir
    Path dir;

    /** What --password-env PW holds. */
    private String password = "s3cret-pw";

    @Test
    void ehloShowsTheExtensionsOnceWithOrWithoutTheTranscript() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = run(server.address(), "none", "ehlo");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(t.out()).isEqualTo("quit after ehlo: " + EXTENSIONS + "\n");
            assertThat(t.err()).isEmpty();
            assertThat(server.verbs()).containsExactly("EHLO", "QUIT");

            TestCli v = run(server.address(), "none", "ehlo", "-v");
            assertThat(v.exit).as(v.err()).isZero();
            assertThat(v.out()).isEqualTo("quit after ehlo\n");
            assertThat(v.err()).contains("S: 250-PIPELINING", "S: 250 AUTH PLAIN LOGIN");
            assertThat((v.out() + v.err()).split("PIPELINING", -1)).hasSize(2);
        }
    }

    @Test
    void ehloExtensionsFromTheServerAreEscaped() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(
                line -> line.startsWith("EHLO") ? "250-mx\r\n250 X-EVIL \u001b[2J\u0007" : null)) {
            TestCli t = run(server.address(), "none", "ehlo");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(t.out()).isEqualTo("quit after ehlo: the server offers X-EVIL \\x1B[2J\\x07\n");
        }
    }

    @Test
    void ehloInJsonListsTheExtensions() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = run(server.address(), "none", "ehlo", "--json");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(t.out()).contains("\"quitAfter\":\"ehlo\"")
                    .contains("\"extensions\":[\"PIPELINING\",\"8BITMIME\",\"ENHANCEDSTATUSCODES\","
                            + "\"AUTH PLAIN LOGIN\"]")
                    .contains("\"tls\":null");
        }
    }

    @Test
    void tlsShowsTheSessionOrItsAbsence() throws IOException, GeneralSecurityException {
        try (DemoServer demo = DemoServer.start()) {
            TestCli t = run("127.0.0.1:" + demo.port(), "implicit", "tls", "--insecure-skip-verify");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(t.out()).matches("quit after tls: TLS TLSv1\\.[23] TLS_\\w+; the server offers .*AUTH PLAIN "
                    + "LOGIN.*\n");
        }
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = run(server.address(), "starttls-opportunistic", "tls");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(t.out()).isEqualTo("quit after tls: no TLS; " + EXTENSIONS + "\n");
        }
    }

    @Test
    void authSaysWhoAuthenticatedAndNeverThePassword() throws IOException, GeneralSecurityException {
        try (DemoServer demo = DemoServer.start()) {
            password = demo.password();
            String[] auth = {"--insecure-skip-verify", "--user", DemoServer.LOGIN, "--password-env", "PW"};
            TestCli t = run("127.0.0.1:" + demo.port(), "implicit", "auth", auth);
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(t.out()).matches("quit after auth: authenticated as demo; TLS TLSv1\\.[23] TLS_\\w+\n");
            assertThat(t.out() + t.err()).doesNotContain(demo.password());

            List<String> verbose = new ArrayList<>(List.of(auth));
            verbose.add("-v");
            TestCli v = run("127.0.0.1:" + demo.port(), "implicit", "auth", verbose.toArray(String[]::new));
            assertThat(v.exit).as(v.err()).isZero();
            assertThat(v.out()).isEqualTo("quit after auth\n");
            assertThat(v.err()).contains("S: 235").doesNotContain(demo.password());
        }
    }

    @Test
    void authWithoutAUserSaysSoAndARefusalExits77() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = run(server.address(), "none", "auth");
            assertThat(t.exit).as(t.err()).isZero();
            assertThat(t.out()).isEqualTo("quit after auth: no AUTH (no user given); no TLS\n");
        }
        try (FakeSmtpServer server = new FakeSmtpServer(
                line -> line.startsWith("AUTH PLAIN ") ? "535 5.7.8 bad credentials" : null)) {
            TestCli t = run(server.address(), "none", "auth", "--user", "me", "--password-env", "PW",
                    "--allow-cleartext-auth", "--auth", "PLAIN");
            assertThat(t.exit).isEqualTo(ExitCode.NO_PERMISSION);
            assertThat(t.out()).isEmpty();
            assertThat(t.err()).startsWith("jsmtp: AUTH PLAIN rejected: 535 5.7.8 bad credentials");
        }
    }

    private TestCli run(String server, String tls, String stage, String... extra) {
        TestCli t = new TestCli(dir);
        t.env.put("PW", password);
        List<String> args = new ArrayList<>(List.of("send", "--server", server, "--tls", tls, "--quit-after", stage,
                "--timeout", "10"));
        args.addAll(List.of(extra));
        t.exit = t.run(args.toArray(String[]::new));
        return t;
    }
}
