package dev.jsmtp.cli;

import dev.jsmtp.message.Mailbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bare user names as sendmail's callers write them — cron's {@code -f root} and {@code To: root} — qualified with a
 * domain, as sendmail itself does ({@code root} becomes {@code root@DOMAIN}; RFC 5321 §4.1.2 has no bare names).
 */
final class BareNames {

    private BareNames() {
    }

    /** {@code address} itself when it has a domain, else {@code address@domain}. */
    static String qualify(String address, Optional<String> domain, String what) throws CliException {
        if (address.indexOf('@') >= 0 || address.equals("<>")) {
            return address;
        }
        if (!isBareName(address)) {
            throw CliException.data(what + ": not an address: " + address);
        }
        return address + "@" + domain.orElseThrow(() -> noDomain(address));
    }

    /** The addresses of To, Cc and Bcc field values, bare user names in them qualified with {@code domain}. */
    static List<String> addresses(List<String> fieldValues, Optional<String> domain) throws CliException {
        List<String> addresses = new ArrayList<>();
        for (String value : fieldValues) {
            List<Mailbox> mailboxes;
            try {
                mailboxes = Mailbox.parseList(value);
            } catch (IllegalArgumentException strict) {
                try {
                    mailboxes = Mailbox.parseList(qualifyList(value, domain));
                } catch (IllegalArgumentException e) {
                    throw CliException.data("a recipient field does not parse: " + strict.getMessage());
                }
            }
            for (Mailbox m : mailboxes) {
                addresses.add(m.path().toString());
            }
        }
        return addresses;
    }

    /** An address list with each bare name ({@code root}, {@code Root <root>}) given {@code @domain}. */
    private static String qualifyList(String list, Optional<String> domain) throws CliException {
        StringBuilder out = new StringBuilder();
        int start = 0;
        boolean quoted = false;
        int angle = 0;
        for (int i = 0; i <= list.length(); i++) {
            char c = i < list.length() ? list.charAt(i) : ',';
            if (c == '"' && (i == 0 || list.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                angle++;
            } else if (!quoted && c == '>') {
                angle--;
            } else if (!quoted && angle == 0 && c == ',') {
                if (out.length() > 0) {
                    out.append(", ");
                }
                out.append(qualifyElement(list.substring(start, i).strip(), domain));
                start = i + 1;
            }
        }
        return out.toString();
    }

    private static String qualifyElement(String element, Optional<String> domain) throws CliException {
        int open = element.lastIndexOf('<');
        if (open >= 0 && element.endsWith(">")) {
            String inner = element.substring(open + 1, element.length() - 1).strip();
            if (isBareName(inner)) {
                return element.substring(0, open) + "<" + inner + "@" + domain.orElseThrow(() -> noDomain(inner)) + ">";
            }
            return element;
        }
        return isBareName(element) ? element + "@" + domain.orElseThrow(() -> noDomain(element)) : element;
    }

    /** An RFC 5322 dot-atom with no domain: what cron and mail(1) write for a local user. */
    private static boolean isBareName(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean atext = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0;
            if (!atext) {
                return false;
            }
        }
        return true;
    }

    private static CliException noDomain(String name) {
        return CliException.data(name + " has no domain: set 'qualify-domain' (or 'from') in the account so that "
                + "bare user names can be completed");
    }
}
