package dev.jsmtp.oauth2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps each account's sign-in (RFC 6749 refresh token) in {@code <directory>/<account>.json}, readable by its
 * owner only: files are created with mode 0600 and the directory with 0700 on POSIX systems (set at creation, so no
 * other user can open the file in between), and replaced atomically so a crash never leaves half a token.
 */
public final class FileTokenStore implements TokenStore {

    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");

    private final Path directory;

    public FileTokenStore(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** {@code ~/.config/jsmtp/tokens}. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".config", "jsmtp", "tokens");
    }

    public Path directory() {
        return directory;
    }

    /** The file holding the account's sign-in. */
    public Path file(String account) {
        return directory.resolve(TokenStore.checkAccount(account) + ".json");
    }

    @Override
    public Optional<StoredToken> load(String account) throws IOException {
        Path file = file(account);
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(StoredToken.fromJson(json, file.toString()));
    }

    @Override
    public void save(String account, StoredToken token) throws IOException {
        Path file = file(account);
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            createPrivateDirectories(directory);
        } else {
            Files.createDirectories(directory);
        }
        FileAttribute<?>[] attributes = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
                : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(directory, "." + account + ".", ".tmp", attributes);
        try {
            Files.writeString(temporary, token.toJson() + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Override
    public boolean delete(String account) throws IOException {
        return Files.deleteIfExists(file(account));
    }

    @Override
    public String location(String account) {
        return file(account).toString();
    }

    // Each missing level is created 0700 at once; directories that already exist are left as the user set them.
    private static void createPrivateDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createPrivateDirectories(parent);
        }
        try {
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
        }
    }
}
