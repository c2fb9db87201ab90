package dev.jsmtp.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The accounts file ({@code ~/.config/jsmtp/config}), in msmtp's style: a {@code defaults} section, then one
 * {@code account NAME} (or {@code account NAME : BASE}, inheriting BASE's settings) section per account, each line
 * {@code key value}; {@code account default : NAME} chooses the default. {@code #} starts a comment line. Errors
 * name the file and the line.
 */
public final class AccountsFile {

    /** The keys an account may set; {@code oauth2-*} keys are passed on to the OAuth2 module as they are. */
    public static final Set<String> KEYS = Set.of("server", "port", "tls", "cafile", "tls-servername", "tls-cert",
            "tls-key", "insecure-skip-verify", "user", "password", "password-env", "password-file", "password-cmd",
            "auth", "oauth2-token-env", "oauth2-token-cmd", "allow-cleartext-auth", "from", "ehlo", "timeout", "token-store-cmd",
            "qualify-domain");

    private static final Set<String> BOOLEAN_KEYS = Set.of("insecure-skip-verify", "allow-cleartext-auth");

    private final Path file;
    private final Map<String, Account> accounts;
    private final Optional<String> defaultAccount;
    private final boolean hasPassword;

    private AccountsFile(Path file, Map<String, Account> accounts, Optional<String> defaultAccount,
                         boolean hasPassword) {
        this.file = file;
        this.accounts = accounts;
        this.defaultAccount = defaultAccount;
        this.hasPassword = hasPassword;
    }

    /** An empty file: no accounts, no default. */
    public static AccountsFile empty() {
        return new AccountsFile(Path.of(""), Map.of(), Optional.empty(), false);
    }

    /**
     * The file named by {@code --config}, else {@code $JSMTP_CONFIG}, else {@code $XDG_CONFIG_HOME/jsmtp/config}
     * or {@code ~/.config/jsmtp/config}. A named file must exist; the default one may be missing.
     */
    public static AccountsFile load(Optional<Path> option, Cli cli) throws CliException {
        Optional<Path> named = option.or(() -> Optional.ofNullable(cli.env().get("JSMTP_CONFIG"))
                .filter(s -> !s.isEmpty()).map(Path::of));
        if (named.isPresent()) {
            return read(named.get(), cli, true);
        }
        String xdg = cli.env().get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : cli.home().resolve(".config");
        return read(base.resolve("jsmtp").resolve("config"), cli, false);
    }

    static AccountsFile read(Path file, Cli cli, boolean mustExist) throws CliException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (mustExist) {
                throw CliException.config(file + ": no such accounts file");
            }
            return empty();
        } catch (IOException e) {
            throw CliException.config(file + ": cannot read: " + e.getMessage());
        }
        AccountsFile parsed = parse(file, lines);
        if (parsed.hasPassword && readableByOthers(file)) {
            cli.warn(file + " holds a password and can be read by group or others (chmod 600 " + file + ")");
        }
        return parsed;
    }

    private static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Parses the lines of {@code file}. */
    public static AccountsFile parse(Path file, List<String> lines) throws CliException {
        Map<String, Account.Setting> defaults = new LinkedHashMap<>();
        Map<String, Map<String, Account.Setting>> accounts = new LinkedHashMap<>();
        Optional<String> defaultAccount = Optional.empty();
        Map<String, Account.Setting> current = null;
        // The lines of the keys the current section set itself (not inherited), to refuse one set twice.
        Map<String, Integer> setHere = new LinkedHashMap<>();
        boolean hasPassword = false;
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            // The key ends at the first white space (split by hand: a regular expression costs start-up time).
            int gap = 0;
            while (gap < line.length() && !Character.isWhitespace(line.charAt(gap))) {
                gap++;
            }
            String key = line.substring(0, gap);
            String where = file + ":" + number + ": ";
            String value = gap < line.length() ? unquote(line.substring(gap).strip(), where) : "";
            if (key.equals("defaults")) {
                if (!accounts.isEmpty()) {
                    throw CliException.config(where + "'defaults' must come before the first account");
                }
                current = defaults;
                setHere.clear();
                continue;
            }
            if (key.equals("account")) {
                String name = value;
                String base = null;
                int colon = value.indexOf(':');
                if (colon >= 0) {
                    name = value.substring(0, colon).strip();
                    base = value.substring(colon + 1).strip();
                }
                if (name.isEmpty() || name.contains(" ")) {
                    throw CliException.config(where + "expected 'account NAME' or 'account NAME : BASE'");
                }
                if (name.equals("default") && base != null) {
                    if (!accounts.containsKey(base)) {
                        throw CliException.config(where + "default account '" + base + "' is not defined above");
                    }
                    defaultAccount = Optional.of(base);
                    current = null;
                    continue;
                }
                if (accounts.containsKey(name)) {
                    throw CliException.config(where + "account '" + name + "' is defined twice");
                }
                current = new LinkedHashMap<>(defaults);
                if (base != null) {
                    Map<String, Account.Setting> inherited = accounts.get(base);
                    if (inherited == null) {
                        throw CliException.config(where + "account '" + base + "' is not defined above");
                    }
                    current.putAll(inherited);
                }
                accounts.put(name, current);
                setHere.clear();
                continue;
            }
            if (!KEYS.contains(key) && !key.startsWith("oauth2-")) {
                throw CliException.config(where + "unknown key '" + key + "'");
            }
            if (current == null) {
                throw CliException.config(where + "'" + key + "' outside any account (start one with 'account NAME')");
            }
            if (value.isEmpty() && !BOOLEAN_KEYS.contains(key)) {
                throw CliException.config(where + "'" + key + "' needs a value");
            }
            check(key, value.isEmpty() ? "on" : value, where);
            Integer earlier = setHere.putIfAbsent(key, number);
            if (earlier != null) {
                // msmtp lets the later line win; a silent override hides typos, so both lines are named instead.
                throw CliException.config(where + "'" + key + "' is set twice in this section (first on line "
                        + earlier + ")");
            }
            hasPassword |= key.equals("password");
            current.put(key, new Account.Setting(value.isEmpty() ? "on" : value, number));
        }
        Map<String, Account> built = new LinkedHashMap<>();
        accounts.forEach((name, settings) -> built.put(name, new Account(name, file, settings)));
        if (defaultAccount.isEmpty() && built.size() == 1) {
            defaultAccount = Optional.of(built.keySet().iterator().next());
        }
        return new AccountsFile(file, Collections.unmodifiableMap(built), defaultAccount, hasPassword);
    }

    private static void check(String key, String value, String where) throws CliException {
        switch (key) {
            case "port" -> {
                try {
                    ServerAddress.parsePort(value);
                } catch (IllegalArgumentException e) {
                    throw CliException.config(where + "port must be a number from 1 to 65535, not \"" + value + "\"");
                }
            }
            case "server" -> {
                try {
                    ServerAddress.parse(value);
                } catch (IllegalArgumentException e) {
                    // ServerAddress's messages are our own words (they name the host part that is wrong).
                    throw CliException.config(where + "server: " + e.getMessage());
                }
            }
            case "tls" -> {
                try {
                    dev.jsmtp.TlsMode.fromCliName(value);
                } catch (IllegalArgumentException e) {
                    throw CliException.config(where + "tls must be implicit, starttls, starttls-opportunistic or "
                            + "none, not \"" + value + "\"");
                }
            }
            case "timeout" -> {
                if (!isWholeNumber(value)) {
                    throw CliException.config(where + "timeout must be a whole number of seconds, not \"" + value
                            + "\"");
                }
                if (Integer.parseInt(value) <= 0) {
                    throw CliException.config(where + "timeout must be at least 1 second, not " + value);
                }
            }
            default -> {
                if (BOOLEAN_KEYS.contains(key) && !Set.of("on", "off", "true", "false", "yes", "no").contains(value)) {
                    throw CliException.config(where + key + ": expected on or off, not \"" + value + "\"");
                }
            }
        }
    }

    /** Digits only, at most 9 of them, so that {@link Integer#parseInt} cannot fail. */
    private static boolean isWholeNumber(String value) {
        if (value.isEmpty() || value.length() > 9) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** A value in double quotes loses them; an opening quote without its closing one is an error. */
    private static String unquote(String value, String where) throws CliException {
        if (!value.startsWith("\"")) {
            return value;
        }
        if (value.length() < 2 || !value.endsWith("\"")) {
            throw CliException.config(where + "unterminated quote: " + value + " (a quoted value ends with \")");
        }
        return value.substring(1, value.length() - 1);
    }

    /** The account called {@code name}, or the default one when no name is given; {@link Account#NONE} if none. */
    public Account select(Optional<String> name) throws CliException {
        if (name.isPresent()) {
            Account a = accounts.get(name.get());
            if (a == null) {
                throw CliException.config(accounts.isEmpty() && file.toString().isEmpty()
                        ? "no accounts file, so no account '" + name.get() + "'"
                        : file + ": no account '" + name.get() + "'");
            }
            return a;
        }
        return defaultAccount.map(accounts::get).orElse(Account.NONE);
    }

    /**
     * As {@link #select(Optional)}, but when no account is named, none is the default and the file has several,
     * fails naming them (exit 78) unless {@code serverGiven}: there is then no way to tell which one was meant.
     */
    public Account select(Optional<String> name, boolean serverGiven) throws CliException {
        if (name.isEmpty() && defaultAccount.isEmpty() && accounts.size() > 1 && !serverGiven) {
            throw CliException.config(file + " has " + accounts.size() + " accounts (" + String.join(", ",
                    accounts.keySet()) + ") and no default: give --account NAME, or add 'account default : NAME' "
                    + "to the file");
        }
        return select(name);
    }

    public Optional<String> defaultAccount() {
        return defaultAccount;
    }

    public Set<String> accountNames() {
        return accounts.keySet();
    }

    public Path file() {
        return file;
    }
}
