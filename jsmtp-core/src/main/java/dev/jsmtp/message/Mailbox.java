package dev.jsmtp.message;

import dev.jsmtp.Escaping;
import dev.jsmtp.Path;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An RFC 5322 mailbox (§3.4): an optional display name and an address, as written in From, To or Cc; with
 * RFC 6532 the address may be UTF-8. The address is a {@link Path}, so anything the envelope refuses is refused
 * here too.
 *
 * @param displayName the phrase before the angle address, decoded (RFC 2047 words and quoting removed)
 * @param path        the address
 */
public record Mailbox(Optional<String> displayName, Path path) {

    public Mailbox {
        displayName = displayName == null ? Optional.empty() : displayName.filter(n -> !n.isBlank());
        Objects.requireNonNull(path, "path");
        displayName.ifPresent(Mailbox::checkName);
    }

    /** A mailbox with a display name. */
    public static Mailbox of(String displayName, Path path) {
        return new Mailbox(Optional.ofNullable(displayName), path);
    }

    /** A mailbox with no display name. */
    public static Mailbox of(Path path) {
        return new Mailbox(Optional.empty(), path);
    }

    /**
     * Parses one mailbox: {@code jane@example.org}, {@code Jane Doe <jane@example.org>},
     * {@code "Doe, Jane" <jane@example.org>}, {@code jane@example.org (Jane)}, with RFC 2047 display names.
     *
     * @throws IllegalArgumentException naming what is wrong; also when the text holds more than one mailbox
     */
    public static Mailbox parse(String text) {
        List<Mailbox> all = parseList(text);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one mailbox but found " + all.size() + ": "
                    + Escaping.escape(text));
        }
        return all.get(0);
    }

    /**
     * Parses an RFC 5322 address-list: mailboxes separated by commas, and groups ({@code Team: a@b, c@d;}),
     * whose members are returned in place of the group. Comments are skipped; empty entries are ignored.
     *
     * @throws IllegalArgumentException naming the position and what was expected
     */
    public static List<Mailbox> parseList(String text) {
        Objects.requireNonNull(text, "text");
        return new AddressParser(text).addressList();
    }

    /** True when the address can only be written with SMTPUTF8 (a non-ASCII local part, RFC 6531). */
    public boolean requiresSmtpUtf8() {
        return path.requiresSmtpUtf8();
    }

    /**
     * The mailbox as one line of header text: the display name quoted when it has specials; RFC 2047-encoded
     * when non-ASCII unless {@code utf8} (RFC 6532), and the domain in A-labels unless {@code utf8}.
     */
    public String format(boolean utf8) {
        return String.join(" ", HeaderEncoder.mailboxTokens(this, utf8));
    }

    @Override
    public String toString() {
        return format(true);
    }

    private static void checkName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("display name contains CR, LF or NUL: " + Escaping.escape(name));
            }
        }
    }
}
