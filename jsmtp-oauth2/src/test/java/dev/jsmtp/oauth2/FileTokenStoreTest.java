package dev.jsmtp.oauth2;

import dev.jsmtp.AccessToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileTokenStoreTest {

    @TempDir
    Path home;

    private static StoredToken token(String refresh) {
        return new StoredToken(Optional.of(refresh),
                Optional.of(new AccessToken("ya29.access", Optional.of(Instant.parse("2026-05-01T10:00:00Z")))),
                Optional.of("https://mail.google.com/"));
    }

    @Test
    void storesTheSignInReadableByItsOwnerOnly() throws IOException {
        Path dir = home.resolve(".config/jsmtp/tokens");
        FileTokenStore store = new FileTokenStore(dir);

        store.save("work", token("1//refresh"));

        Path file = dir.resolve("work.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent())))
                .isEqualTo("rwx------");
        assertThat(store.load("work")).contains(token("1//refresh"));
        assertThat(Files.readString(file)).contains("\"refresh_token\":\"1//refresh\"")
                .contains("\"expires_at\":\"2026-05-01T10:00:00Z\"");
    }

    @Test
    void replacingATokenKeepsTheFilePrivateEvenInAnOpenDirectory() throws IOException {
        Path dir = Files.createDirectories(home.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        FileTokenStore store = new FileTokenStore(dir);

        store.save("work", token("first"));
        store.save("work", token("second"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("work.json"))))
                .isEqualTo("rw-------");
        assertThat(store.load("work").orElseThrow().refreshToken()).contains("second");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("work.json"));
        }
    }

    @Test
    void aMissingAccountHasNoTokenAndDeletingItSaysSo() throws IOException {
        FileTokenStore store = new FileTokenStore(home);
        assertThat(store.load("nobody")).isEmpty();
        assertThat(store.delete("nobody")).isFalse();

        store.save("me@example.org", token("r"));
        assertThat(store.delete("me@example.org")).isTrue();
        assertThat(store.load("me@example.org")).isEmpty();
    }

    @Test
    void accountNamesCannotLeaveTheDirectory() {
        FileTokenStore store = new FileTokenStore(home.resolve("tokens"));
        for (String bad : new String[] {"../escape", "a/b", ".hidden", "", "-rf", "x\ny"}) {
            assertThatThrownBy(() -> store.save(bad, token("r"))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("account name");
        }
        assertThat(home.resolve("escape.json")).doesNotExist();
    }

    @Test
    void aDamagedFileIsReportedWithItsPathButNotItsContent() throws IOException {
        FileTokenStore store = new FileTokenStore(home);
        Files.writeString(home.resolve("work.json"), "{\"refresh_token\": \"secret-rt\", ");

        assertThatThrownBy(() -> store.load("work")).isInstanceOf(IOException.class)
                .hasMessageContaining(home.resolve("work.json").toString()).hasMessageNotContaining("secret-rt");
    }

    @Test
    void theStoredFormShowsNoTokenInToString() {
        assertThat(token("1//refresh").toString()).doesNotContain("1//refresh").doesNotContain("ya29");
    }
}
