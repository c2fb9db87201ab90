package dev.jsmtp.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One account of the accounts file: its settings, keyed like the long command-line options ({@code server},
 * {@code tls}, {@code user}, {@code password-cmd}, {@code from} …), each remembering the line it came from.
 */
public record Account(String name, Path file, Map<String, Setting> settings) {

    /** One {@code key value} line. */
    public record Setting(String value, int line) {
    }

    /** No account: every value comes from the command line. */
    public static final Account NONE = new Account("", Path.of(""), Map.of());

    public Account {
        settings = Map.copyOf(settings);
    }

    public Optional<String> get(String key) {
        Setting s = settings.get(key);
        return s == null ? Optional.empty() : Optional.of(s.value());
    }

    /** True for a boolean key set to on/true/yes. */
    public boolean isOn(String key) {
        return get(key).map(v -> v.equals("on") || v.equals("true") || v.equals("yes")).orElse(false);
    }

    /** {@code FILE:LINE} of a key, for error messages. */
    public String where(String key) {
        Setting s = settings.get(key);
        return s == null ? "account " + name : file + ":" + s.line();
    }
}
