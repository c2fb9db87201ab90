package dev.jsmtp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccountsFileTest {

    private static final Path FILE = Path.of("/home/me/.config/jsmtp/config");

    private static AccountsFile parse(String... lines) throws CliException {
        return AccountsFile.parse(FILE, List.of(lines));
    }

    @Test
    void accountsInheritDefaultsAndBasesAndTheDefaultIsChosen() throws CliException {
        AccountsFile f = parse(
                "# mail accounts",
                "defaults",
                "tls starttls",
                "timeout 20",
                "",
                "account work",
                "server smtp.example.org:587",
                "user me@example.org",
                "password-cmd pass show mail/work",
                "from \"me@example.org\"",
                "oauth2-client-id abc",
                "account alerts : work",
                "from alerts@example.org",
                "account default : alerts");
        Account work = f.select(Optional.of("work"));
        assertThat(work.get("tls")).contains("starttls");
        assertThat(work.get("timeout")).contains("20");
        assertThat(work.get("from")).contains("me@example.org");
        assertThat(work.get("oauth2-client-id")).contains("abc");
        assertThat(work.where("password-cmd")).isEqualTo(FILE + ":9");
        Account chosen = f.select(Optional.empty());
        assertThat(chosen.name()).isEqualTo("alerts");
        assertThat(chosen.get("from")).contains("alerts@example.org");
        assertThat(chosen.get("server")).contains("smtp.example.org:587");
    }

    @Test
    void aSingleAccountIsTheDefault() throws CliException {
        assertThat(parse("account only", "server a.example.org").select(Optional.empty()).name()).isEqualTo("only");
    }

    @Test
    void noAccountsMeansNoDefault() throws CliException {
        assertThat(AccountsFile.empty().select(Optional.empty())).isSameAs(Account.NONE);
    }

    @Test
    void errorsNameTheFileAndLine() {
        assertThatThrownBy(() -> parse("account a", "server x.example.org", "sever y"))
                .isInstanceOf(CliException.class).hasMessage(FILE + ":3: unknown key 'sever'")
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(78);
        assertThatThrownBy(() -> parse("server x.example.org"))
                .hasMessageStartingWith(FILE + ":1: 'server' outside any account");
        assertThatThrownBy(() -> parse("account a", "port 99999"))
                .hasMessageStartingWith(FILE + ":2: port: port out of range");
        assertThatThrownBy(() -> parse("account a", "tls maybe"))
                .hasMessageStartingWith(FILE + ":2: tls: unknown TLS mode 'maybe'");
        assertThatThrownBy(() -> parse("account a", "account a"))
                .hasMessage(FILE + ":2: account 'a' is defined twice");
        assertThatThrownBy(() -> parse("account a", "account default : b"))
                .hasMessage(FILE + ":2: default account 'b' is not defined above");
        assertThatThrownBy(() -> parse("account a", "user"))
                .hasMessage(FILE + ":2: 'user' needs a value");
        assertThatThrownBy(() -> parse("account a", "timeout soon"))
                .hasMessageStartingWith(FILE + ":2: timeout:");
        assertThatThrownBy(() -> parse("account a", "allow-cleartext-auth perhaps"))
                .hasMessageStartingWith(FILE + ":2: allow-cleartext-auth: expected on or off");
    }

    @Test
    void unknownAccountIsAConfigurationError() {
        assertThatThrownBy(() -> parse("account a", "server x.example.org").select(Optional.of("b")))
                .hasMessage(FILE + ": no account 'b'");
    }

    @Test
    void aPasswordInAFileOthersCanReadIsWarnedAbout(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config");
        Files.writeString(config, "account a\nserver x.example.org\nuser u\npassword hunter2\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        TestCli t = new TestCli(dir);
        AccountsFile.load(Optional.of(config), t.cli());
        assertThat(t.err()).contains("warning").contains(config.toString()).contains("chmod 600")
                .doesNotContain("hunter2");

        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        TestCli quiet = new TestCli(dir);
        AccountsFile.load(Optional.of(config), quiet.cli());
        assertThat(quiet.err()).isEmpty();
    }

    @Test
    void fileIsFoundFromOptionEnvironmentOrHome(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".config/jsmtp"));
        Files.writeString(home.resolve(".config/jsmtp/config"), "account home\nserver h.example.org\n");
        Path viaEnv = dir.resolve("env-config");
        Files.writeString(viaEnv, "account env\nserver e.example.org\n");
        TestCli t = new TestCli(home);
        assertThat(AccountsFile.load(Optional.empty(), t.cli()).accountNames()).containsExactly("home");
        t.env.put("JSMTP_CONFIG", viaEnv.toString());
        assertThat(AccountsFile.load(Optional.empty(), t.cli()).accountNames()).containsExactly("env");
        assertThatThrownBy(() -> AccountsFile.load(Optional.of(dir.resolve("missing")), t.cli()))
                .hasMessageContaining("no such accounts file");
        TestCli nothing = new TestCli(dir.resolve("nobody"));
        assertThat(AccountsFile.load(Optional.empty(), nothing.cli()).accountNames()).isEmpty();
    }
}
