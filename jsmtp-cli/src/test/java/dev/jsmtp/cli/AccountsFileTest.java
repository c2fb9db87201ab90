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
                .hasMessage(FILE + ":2: port must be a number from 1 to 65535, not \"99999\"");
        assertThatThrownBy(() -> parse("account a", "port 25x"))
                .hasMessage(FILE + ":2: port must be a number from 1 to 65535, not \"25x\"");
        assertThatThrownBy(() -> parse("account a", "tls maybe"))
                .hasMessage(FILE + ":2: tls must be implicit, starttls, starttls-opportunistic or none, not \"maybe\"");
        assertThatThrownBy(() -> parse("account a", "account a"))
                .hasMessage(FILE + ":2: account 'a' is defined twice");
        assertThatThrownBy(() -> parse("account a", "account default : b"))
                .hasMessage(FILE + ":2: default account 'b' is not defined above");
        assertThatThrownBy(() -> parse("account a", "user"))
                .hasMessage(FILE + ":2: 'user' needs a value");
        assertThatThrownBy(() -> parse("account a", "timeout soon"))
                .hasMessage(FILE + ":2: timeout must be a whole number of seconds, not \"soon\"");
        assertThatThrownBy(() -> parse("account a", "timeout 99999999999"))
                .hasMessage(FILE + ":2: timeout must be a whole number of seconds, not \"99999999999\"");
        assertThatThrownBy(() -> parse("account a", "timeout 0"))
                .hasMessage(FILE + ":2: timeout must be at least 1 second, not 0");
        assertThatThrownBy(() -> parse("account a", "allow-cleartext-auth perhaps"))
                .hasMessage(FILE + ":2: allow-cleartext-auth: expected on or off, not \"perhaps\"");
        assertThatThrownBy(() -> parse("account a", "server [::1"))
                .hasMessage(FILE + ":2: server: missing ']' in [::1");
    }

    @Test
    void errorsNeverShowJavaExceptionText() {
        for (String line : List.of("port abc", "port 1e3", "timeout abc", "timeout -5", "tls 7", "server h:abc",
                "server h:0", "insecure-skip-verify 2")) {
            assertThatThrownBy(() -> parse("account a", line))
                    .as(line).isInstanceOf(CliException.class)
                    .hasMessageStartingWith(FILE + ":2: ")
                    .hasMessageNotContaining("For input string").hasMessageNotContaining("Exception");
        }
    }

    @Test
    void anUnterminatedQuoteIsAnErrorNamingTheLine() throws CliException {
        assertThatThrownBy(() -> parse("account a", "server \"127.0.0.1:12800"))
                .isInstanceOf(CliException.class)
                .hasMessage(FILE + ":2: unterminated quote: \"127.0.0.1:12800 (a quoted value ends with \")")
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(78);
        assertThatThrownBy(() -> parse("account a", "from \""))
                .hasMessageStartingWith(FILE + ":2: unterminated quote");
        assertThat(parse("account a", "server \"127.0.0.1:12800\"").select(Optional.empty()).get("server"))
                .contains("127.0.0.1:12800");
    }

    @Test
    void aKeySetTwiceInOneSectionNamesBothLines() throws CliException {
        assertThatThrownBy(() -> parse("account a", "server x.example.org", "user u", "server y.example.org"))
                .isInstanceOf(CliException.class)
                .hasMessage(FILE + ":4: 'server' is set twice in this section (first on line 2)")
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(78);
        assertThatThrownBy(() -> parse("defaults", "tls none", "tls starttls"))
                .hasMessage(FILE + ":3: 'tls' is set twice in this section (first on line 2)");
        // Overriding what defaults or a base account set is what those are for.
        AccountsFile f = parse("defaults", "tls none", "account a", "tls starttls", "server a.example.org",
                "account b : a", "server b.example.org");
        assertThat(f.select(Optional.of("a")).get("tls")).contains("starttls");
        assertThat(f.select(Optional.of("b")).get("server")).contains("b.example.org");
    }

    @Test
    void severalAccountsWithoutADefaultAreNamedWhenNoneIsChosen() throws CliException {
        AccountsFile f = parse("account work", "server w.example.org", "account home", "server h.example.org");
        assertThatThrownBy(() -> f.select(Optional.empty(), false))
                .isInstanceOf(CliException.class)
                .hasMessage(FILE + " has 2 accounts (work, home) and no default: give --account NAME, or add "
                        + "'account default : NAME' to the file")
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(78);
        assertThat(f.select(Optional.empty(), true)).isSameAs(Account.NONE);
        assertThat(f.select(Optional.of("home"), false).get("server")).contains("h.example.org");
    }

    @Test
    void sendWithSeveralAccountsAndNoDefaultSaysSo(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config");
        Files.writeString(config, "account work\nserver w.example.org\naccount home\nserver h.example.org\n");
        TestCli t = new TestCli(dir);
        int exit = t.run("send", "--config", config.toString(), "--from", "a@example.org", "--to", "b@example.org",
                "--body", "x");
        assertThat(exit).isEqualTo(78);
        assertThat(t.err()).contains("has 2 accounts (work, home) and no default")
                .contains("--account NAME").contains("account default : NAME");
    }

    @Test
    void sendWithAnUnterminatedQuoteFailsBeforeConnecting(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("c5.conf");
        Files.writeString(config, "account a\nserver \"127.0.0.1:12800\nfrom a@example.org\n");
        TestCli t = new TestCli(dir);
        assertThat(t.run("send", "--config", config.toString(), "--to", "b@example.org", "--body", "x"))
                .isEqualTo(78);
        assertThat(t.err()).contains(config + ":2: unterminated quote");
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
