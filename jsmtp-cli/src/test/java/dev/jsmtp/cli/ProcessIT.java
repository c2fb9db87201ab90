package dev.jsmtp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The self-contained jar and the ./jsmtp launcher run as real processes. */
class ProcessIT {

    private static final Path JAR = Path.of("target", "jsmtp.jar").toAbsolutePath();
    private static final Path LAUNCHER = Path.of("..", "jsmtp").toAbsolutePath().normalize();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Run run(Map<String, String> env, String stdin, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("JSMTP_CACHE", dir.resolve("cache").toString());
        pb.environment().putAll(env);
        Path out = dir.resolve("out-" + System.nanoTime());
        Path err = dir.resolve("err-" + System.nanoTime());
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished in time: " + command).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Run jar(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA, "-cp", JAR.toString(), "dev.jsmtp.cli.Main"));
        command.addAll(List.of(args));
        return run(Map.of(), "", command);
    }

    private Path eml() throws IOException {
        Path f = dir.resolve("m.eml");
        Files.writeString(f, "Subject: process test\r\n\r\nhello\r\n");
        return f;
    }

    @Test
    void exitStatusesAsAProcess() throws Exception {
        assertThat(jar("send", "--bogus").exit()).isEqualTo(64);
        assertThat(jar("send", "--server", "127.0.0.1:1", "--tls", "none", "--from", "a@example.org",
                "--to", "b@example.org\nx", "--eml", eml().toString()).exit()).isEqualTo(65);
        Run refused = jar("send", "--server", "127.0.0.1:1", "--tls", "none", "--from", "a@example.org",
                "--to", "b@example.org", "--eml", eml().toString());
        assertThat(refused.exit()).isEqualTo(75);
        assertThat(refused.err()).startsWith("jsmtp: ");
        try (FakeSmtpServer server = new FakeSmtpServer(
                line -> line.contains("nobody@") ? "550 5.1.1 no such user" : null)) {
            Run sent = jar("send", "--server", server.address(), "--tls", "none", "--from", "a@example.org",
                    "--to", "b@example.org", "--eml", eml().toString());
            assertThat(sent.exit()).as(sent.err()).isZero();
            assertThat(sent.out()).isEqualTo("250 2.0.0 queued as FAKE1 (accepted: b@example.org)\n");
            Run noUser = jar("send", "--server", server.address(), "--tls", "none", "--from", "a@example.org",
                    "--to", "nobody@example.org", "--eml", eml().toString());
            assertThat(noUser.exit()).isEqualTo(67);
        }
    }

    @Test
    void sendLoadsNothingOfPicocliTheDemoServerOrTheOtherCommands() throws Exception {
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            Run r = run(Map.of(), "", List.of(JAVA, "-verbose:class", "-cp", JAR.toString(), "dev.jsmtp.cli.Main",
                    "send", "--server", server.address(), "--tls", "none", "--from", "a@example.org",
                    "--to", "b@example.org", "--eml", eml().toString()));
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("dev.jsmtp.cli.SendCommand")
                    .doesNotContain("com.icegreen").doesNotContain("jakarta.").doesNotContain("org.slf4j")
                    .doesNotContain("dev.jsmtp.cli.DemoCommand").doesNotContain("dev.jsmtp.cli.DemoServer")
                    .doesNotContain("dev.jsmtp.cli.ProbeCommand").doesNotContain("picocli.AutoComplete")
                    // A plain command line is parsed by SendArguments: picocli's model costs start-up time.
                    .doesNotContain("picocli.");
        }
    }

    @Test
    void launcherMakesAClassDataArchiveOnceAndReusesIt() throws Exception {
        Run first = run(Map.of(), "", List.of(LAUNCHER.toString(), "--version"));
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("jsmtp ");
        assertThat(first.err()).isEmpty();
        Path cache = dir.resolve("cache");
        List<Path> archives;
        try (var files = Files.list(cache)) {
            archives = files.filter(f -> f.toString().endsWith(".jsa")).toList();
        }
        assertThat(archives).singleElement().satisfies(a -> assertThat(Files.size(a)).isGreaterThan(100_000));
        FileTime made = Files.getLastModifiedTime(archives.get(0));
        Run second = run(Map.of(), "", List.of(LAUNCHER.toString(), "--version"));
        assertThat(second.exit()).isZero();
        assertThat(second.err()).isEmpty();
        assertThat(Files.getLastModifiedTime(archives.get(0))).isEqualTo(made);
    }

    @Test
    void aSymlinkCalledSendmailRunsSendmailMode() throws Exception {
        Path link = dir.resolve("bin").resolve("sendmail");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, LAUNCHER);
        Run r = run(Map.of(), "", List.of(link.toString(), "-q"));
        assertThat(r.exit()).isEqualTo(64);
        assertThat(r.err()).contains("unknown option -q").contains("usage: sendmail");
        Run noAccount = run(Map.of(), "", List.of(link.toString(), "-FCronDaemon", "-i", "-B8BITMIME", "-oem", "root"));
        assertThat(noAccount.exit()).isEqualTo(78);
        assertThat(noAccount.err()).contains("sendmail mode needs an account");
    }

    @Test
    void demoServeKeepsTheServerUpAndItsPrintedCommandSendsToIt() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(JAVA, "-cp", JAR.toString(), "dev.jsmtp.cli.Main", "demo", "--serve");
        pb.redirectErrorStream(true);
        Process demo = pb.start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
            String command = null;
            for (String line; command == null && (line = lines.readLine()) != null; ) {
                if (line.contains("./jsmtp send ")) {
                    command = line.strip();
                }
            }
            assertThat(command).isNotNull();
            Matcher m = Pattern.compile("JSMTP_DEMO_PASSWORD=(\\S+) \\./jsmtp (send .*)").matcher(command);
            assertThat(m.matches()).isTrue();
            List<String> args = new ArrayList<>(List.of(JAVA, "-cp", JAR.toString(), "dev.jsmtp.cli.Main"));
            for (String word : m.group(2).split(" (?=(?:[^']*'[^']*')*[^']*$)")) {
                args.add(word.replace("'", ""));
            }
            Run sent = run(Map.of("JSMTP_DEMO_PASSWORD", m.group(1)), "", args);
            assertThat(sent.exit()).as(sent.err()).isZero();
            assertThat(sent.err()).contains("C: AUTH").contains("*  TLS").doesNotContain(m.group(1));
            String received = null;
            for (String line; received == null && (line = lines.readLine()) != null; ) {
                if (line.startsWith("* Received message 1")) {
                    received = line;
                }
            }
            assertThat(received).isNotNull();
        } finally {
            demo.destroy();
            demo.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
