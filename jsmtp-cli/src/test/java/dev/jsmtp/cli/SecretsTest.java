package dev.jsmtp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretsTest {

    @TempDir
    Path dir;

    @Test
    void environmentVariable() throws CliException {
        TestCli t = new TestCli(dir);
        t.env.put("SMTP_PASS", "s3cret");
        assertThat(Secrets.fromEnvironment("SMTP_PASS", t.cli())).containsExactly("s3cret".toCharArray());
        assertThatThrownBy(() -> Secrets.fromEnvironment("NOT_SET", t.cli()))
                .hasMessageContaining("NOT_SET is not set").extracting(e -> ((CliException) e).exitCode())
                .isEqualTo(78);
    }

    @Test
    void fileFirstLineWithoutNewlineAndAWarningWhenOthersCanRead() throws Exception {
        Path f = dir.resolve("pw");
        Files.writeString(f, "pä55word\r\nsecond line\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        TestCli t = new TestCli(dir);
        assertThat(Secrets.fromFile(f, t.cli())).containsExactly("pä55word".toCharArray());
        assertThat(t.err()).isEmpty();
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        Secrets.fromFile(f, t.cli());
        assertThat(t.err()).contains("can be read by group or others").doesNotContain("pä55word");
        assertThatThrownBy(() -> Secrets.fromFile(dir.resolve("missing"), t.cli()))
                .hasMessageContaining("cannot read password file");
    }

    @Test
    void unreadablePasswordFilesAreNamedInPlainWords() throws Exception {
        TestCli t = new TestCli(dir);
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> Secrets.fromFile(missing, t.cli()))
                .hasMessage("cannot read password file " + missing + ": no such file")
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(78);
        assertThatThrownBy(() -> Secrets.fromFile(dir, t.cli()))
                .hasMessage("cannot read password file " + dir + ": is a directory");
        Path locked = Files.writeString(dir.resolve("locked"), "pw\n");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        if (!Files.isReadable(locked)) { // root reads anything
            assertThatThrownBy(() -> Secrets.fromFile(locked, t.cli()))
                    .hasMessage("cannot read password file " + locked + ": permission denied");
        }
    }

    @Test
    void commandOutputMustSucceedAndNeverAppearsInErrors() throws CliException {
        assertThat(Secrets.fromCommand("printf 'tok3n\\nignored\\n'", "--password-cmd"))
                .containsExactly("tok3n".toCharArray());
        assertThatThrownBy(() -> Secrets.fromCommand("echo leaked; exit 3", "--password-cmd"))
                .hasMessage("--password-cmd command exited with status 3")
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(78);
        assertThatThrownBy(() -> Secrets.fromCommand("true", "--password-cmd")).hasMessageContaining("is empty");
    }

    @Test
    void promptOnlyOnATerminal() throws CliException {
        TestCli t = new TestCli(dir);
        assertThatThrownBy(() -> Secrets.fromPrompt("me@example.org", t.cli()))
                .hasMessageContaining("no terminal to ask on");
        String[] asked = new String[1];
        t.prompt = text -> {
            asked[0] = text;
            return "typed".toCharArray();
        };
        assertThat(Secrets.fromPrompt("me@example.org", t.cli())).containsExactly("typed".toCharArray());
        assertThat(asked[0]).isEqualTo("Password for me@example.org: ");
    }

    @Test
    void tokenCommandRunsAgainAfterTheServerRefusedTheToken() throws IOException {
        Path counter = dir.resolve("n");
        var tokens = Secrets.tokenFromCommand("echo x >> " + counter + "; echo tok-$(wc -l < " + counter + ")");
        var first = tokens.token();
        assertThat(first.value()).isEqualTo("tok-1");
        assertThat(tokens.token().value()).isEqualTo("tok-1");
        tokens.invalidate(first);
        assertThat(tokens.token().value()).isEqualTo("tok-2");
    }
}
