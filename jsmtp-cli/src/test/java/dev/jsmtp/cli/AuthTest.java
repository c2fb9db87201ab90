package dev.jsmtp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each password source reaches the server, and no transcript ever shows the secret in any encoding. */
class AuthTest {

    private static final String USER = "me@example.org";
    private static final String PASSWORD = "Tr0ub4dor&3-secret";

    @TempDir
    Path dir;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The password the server received, decoded from AUTH PLAIN or AUTH LOGIN. */
    private static String passwordReceived(FakeSmtpServer server) {
        for (int i = 0; i < server.received.size(); i++) {
            String line = server.received.get(i);
            if (line.toUpperCase().startsWith("AUTH PLAIN")) {
                String blob = line.length() > "AUTH PLAIN ".length() ? line.substring(11) : server.received.get(i + 1);
                String[] parts = new String(Base64.getDecoder().decode(blob.trim()), StandardCharsets.UTF_8).split("\0");
                return parts[2];
            }
            if (line.toUpperCase().startsWith("AUTH LOGIN")) {
                boolean initial = line.trim().length() > "AUTH LOGIN".length();
                String pw = server.received.get(i + (initial ? 1 : 2));
                return new String(Base64.getDecoder().decode(pw.trim()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private TestCli auth(FakeSmtpServer server, String mechanism, String... source) {
        TestCli t = new TestCli(dir);
        t.env.put("SMTP_PASSWORD", PASSWORD);
        t.prompt = prompt -> PASSWORD.toCharArray();
        List<String> args = new ArrayList<>(List.of("send", "--server", server.address(), "--tls", "none",
                "--allow-cleartext-auth", "--user", USER, "--auth", mechanism, "--quit-after", "auth", "-v",
                "--timeout", "5"));
        args.addAll(List.of(source));
        t.exit = t.run(args.toArray(String[]::new));
        return t;
    }

    @Test
    void everyPasswordSourceReachesTheServer() throws IOException {
        Path file = dir.resolve("pw");
        Files.writeString(file, PASSWORD + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        String[][] sources = {
            {"--password-env", "SMTP_PASSWORD"},
            {"--password-file", file.toString()},
            {"--password-cmd", "printf '%s\\n' '" + PASSWORD + "'"},
            {},
        };
        for (String[] source : sources) {
            try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
                TestCli t = auth(server, "PLAIN", source);
                assertThat(t.exit).as(String.join(" ", source) + ": " + t.err()).isZero();
                assertThat(passwordReceived(server)).as(String.join(" ", source)).isEqualTo(PASSWORD);
            }
        }
    }

    @Test
    void twoPasswordSourcesAreAUsageErrorNotASilentChoice() throws IOException {
        Path file = dir.resolve("pw2");
        Files.writeString(file, "other\n");
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            TestCli t = auth(server, "PLAIN", "--password-env", "SMTP_PASSWORD", "--password-file", file.toString());
            assertThat(t.exit).isEqualTo(64);
            assertThat(t.err()).contains("not several");
            assertThat(server.received).isEmpty();
        }
    }

    @Test
    void theAccountsFilePasswordCommandIsUsed() throws IOException {
        Path config = dir.resolve("config");
        try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
            Files.writeString(config, "account a\nserver " + server.address() + "\ntls none\nallow-cleartext-auth on\n"
                    + "user " + USER + "\npassword-cmd echo '" + PASSWORD + "'\nauth LOGIN\n");
            TestCli t = new TestCli(dir);
            assertThat(t.run("send", "--config", config.toString(), "--quit-after", "auth")).isZero();
            assertThat(passwordReceived(server)).isEqualTo(PASSWORD);
        }
    }

    @Test
    void theTranscriptNeverShowsThePasswordPlainOrEncoded() throws IOException {
        for (String mechanism : new String[] {"PLAIN", "LOGIN"}) {
            try (FakeSmtpServer server = new FakeSmtpServer(line -> null)) {
                TestCli t = auth(server, mechanism, "--password-env", "SMTP_PASSWORD");
                assertThat(t.exit).isZero();
                assertThat(passwordReceived(server)).isEqualTo(PASSWORD);
                String everything = t.out() + t.err();
                assertThat(everything).contains("C: AUTH " + mechanism)
                        .doesNotContain(PASSWORD)
                        .doesNotContain(b64(PASSWORD))
                        .doesNotContain(b64("\0" + USER + "\0" + PASSWORD))
                        .doesNotContain(b64(USER + "\0" + USER + "\0" + PASSWORD));
            }
        }
    }

    @Test
    void aRefusedPasswordIsNotEchoedInTheError() throws IOException {
        try (FakeSmtpServer server = new FakeSmtpServer(
                line -> line.equals("(auth-response)") || line.startsWith("AUTH PLAIN ") ? "535 5.7.8 no" : null)) {
            TestCli t = auth(server, "PLAIN", "--password-env", "SMTP_PASSWORD");
            assertThat(t.exit).isEqualTo(77);
            assertThat(t.out() + t.err()).contains("535").doesNotContain(PASSWORD).doesNotContain(b64(PASSWORD));
        }
    }
}
