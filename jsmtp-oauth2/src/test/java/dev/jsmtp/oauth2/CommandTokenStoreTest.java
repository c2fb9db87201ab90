package dev.jsmtp.oauth2;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandTokenStoreTest {

    @TempDir
    Path dir;

    private CommandTokenStore store;

    @BeforeEach
    void helper() throws IOException {
        // A stand-in for a keyring helper such as secret-tool: one file per account, status 1 when absent.
        Path script = dir.resolve("keyring.sh");
        Files.writeString(script, "#!/bin/sh\n"
                + "vault='" + dir.resolve("vault") + "'\n"
                + "mkdir -p \"$vault\"\n"
                + "case \"$1\" in\n"
                + "  get) cat \"$vault/$2\" 2>/dev/null || exit 1 ;;\n"
                + "  put) cat > \"$vault/$2\" ;;\n"
                + "  delete) rm \"$vault/$2\" 2>/dev/null || exit 1 ;;\n"
                + "  *) echo \"unknown verb $1\" >&2; exit 2 ;;\n"
                + "esac\n");
        store = new CommandTokenStore("sh '" + script + "'");
    }

    @Test
    void savesLoadsAndDeletesThroughTheCommand() throws IOException {
        StoredToken token = new StoredToken(Optional.of("rt-1"), Optional.empty(), Optional.of("smtp"));

        assertThat(store.load("work")).isEmpty();
        store.save("work", token);
        assertThat(Files.readString(dir.resolve("vault/work"))).contains("\"refresh_token\":\"rt-1\"");
        assertThat(store.load("work")).contains(token);
        assertThat(store.delete("work")).isTrue();
        assertThat(store.delete("work")).isFalse();
        assertThat(store.load("work")).isEmpty();
    }

    @Test
    void aFailingCommandIsReportedWithItsStatusAndComplaint() {
        CommandTokenStore broken = new CommandTokenStore("echo 'keyring locked' >&2; exit 3; :");

        assertThatThrownBy(() -> broken.load("work")).isInstanceOf(IOException.class)
                .hasMessage("token-store-cmd get exited with status 3: keyring locked");
        assertThatThrownBy(() -> broken.save("work", new StoredToken(Optional.of("rt-secret"), Optional.empty(),
                Optional.empty()))).isInstanceOf(IOException.class).hasMessageNotContaining("rt-secret");
    }

    @Test
    void accountNamesWithShellCharactersAreRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> store.load("x;touch pwned")).isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("pwned")).doesNotExist();
    }
}
