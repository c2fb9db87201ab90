package dev.jsmtp.oauth2;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps sign-ins (RFC 6749 refresh tokens) in an external program such as a keyring helper, run as
 * {@code CMD get ACCOUNT}, {@code CMD put ACCOUNT} and {@code CMD delete ACCOUNT} through {@code /bin/sh -c}. The
 * stored token travels as one line of JSON on standard input ({@code put}) or output ({@code get}). {@code get}
 * exits 0 with the token, or 1 (or 0 with no output) when there is none; {@code delete} exits 0, or 1 when there
 * was none. Any other status is an error.
 */
public final class CommandTokenStore implements TokenStore {

    private final String command;

    public CommandTokenStore(String command) {
        this.command = Objects.requireNonNull(command, "command");
        if (command.isBlank()) {
            throw new IllegalArgumentException(OAuth2Settings.TOKEN_STORE_CMD + " is empty");
        }
    }

    @Override
    public Optional<StoredToken> load(String account) throws IOException {
        ExternalCommand.Result r = run("get", account, Optional.empty());
        if (r.exitStatus() == 1 || (r.exitStatus() == 0 && r.stdout().isBlank())) {
            return Optional.empty();
        }
        if (r.exitStatus() != 0) {
            throw ExternalCommand.failure(label("get"), r);
        }
        return Optional.of(StoredToken.fromJson(r.stdout().strip(), location(account)));
    }

    @Override
    public void save(String account, StoredToken token) throws IOException {
        ExternalCommand.Result r = run("put", account, Optional.of(token.toJson() + "\n"));
        if (r.exitStatus() != 0) {
            throw ExternalCommand.failure(label("put"), r);
        }
    }

    @Override
    public boolean delete(String account) throws IOException {
        ExternalCommand.Result r = run("delete", account, Optional.empty());
        if (r.exitStatus() > 1) {
            throw ExternalCommand.failure(label("delete"), r);
        }
        return r.exitStatus() == 0;
    }

    @Override
    public String location(String account) {
        return OAuth2Settings.TOKEN_STORE_CMD + " (" + TokenStore.checkAccount(account) + ")";
    }

    private ExternalCommand.Result run(String verb, String account, Optional<String> stdin) throws IOException {
        return ExternalCommand.run(command, List.of(verb, TokenStore.checkAccount(account)), stdin, label(verb));
    }

    private static String label(String verb) {
        return OAuth2Settings.TOKEN_STORE_CMD + " " + verb;
    }
}
