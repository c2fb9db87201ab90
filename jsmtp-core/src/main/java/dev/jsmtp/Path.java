package dev.jsmtp;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An RFC 5321 mailbox as used in the envelope, {@code local-part@domain} with no display name (RFC 5321 §4.1.2;
 * UTF-8 local parts and domains per RFC 6531). Not the RFC 5322 {@code message.Mailbox}.
 *
 * <p>Construction validates and never rewrites: CR, LF, NUL, other controls, {@code <}, {@code >} and spaces
 * outside a quoted local part are refused, as is any internationalised domain that {@link IDN} (IDNA2003) would
 * change rather than just encode ({@code ß}, final sigma, joiners).
 */
public final class Path {

    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_DOMAIN = 255;
    private static final int MAX_PATH = 254;

    private final String localPart;
    private final String domain;
    private final String asciiDomain;

    private Path(String localPart, String domain, String asciiDomain) {
        this.localPart = localPart;
        this.domain = domain;
        this.asciiDomain = asciiDomain;
    }

    /**
     * Parses {@code local-part@domain} (no angle brackets).
     *
     * @throws IllegalArgumentException naming the offending character or part
     */
    public static Path of(String mailbox) {
        if (mailbox == null || mailbox.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        for (int i = 0; i < mailbox.length(); i++) {
            char c = mailbox.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                throw new IllegalArgumentException(
                        "address contains control character " + escape(String.valueOf(c)) + ": " + escape(mailbox));
            }
            if (Character.isSurrogate(c) && !validSurrogateAt(mailbox, i)) {
                throw new IllegalArgumentException("address contains an unpaired surrogate: " + escape(mailbox));
            }
        }
        int at = mailbox.lastIndexOf('@');
        if (at <= 0 || at == mailbox.length() - 1) {
            throw new IllegalArgumentException("address must be local-part@domain: " + escape(mailbox));
        }
        String local = mailbox.substring(0, at);
        String domain = mailbox.substring(at + 1);
        checkLocalPart(local, mailbox);
        String ascii = asciiDomain(domain, mailbox);
        Path path = new Path(local, domain, ascii);
        if (path.utf8Length() > MAX_PATH) {
            throw new IllegalArgumentException("address longer than " + MAX_PATH + " octets: " + escape(mailbox));
        }
        return path;
    }

    public String localPart() {
        return localPart;
    }

    /** The domain as given: an ASCII name, a U-label name or an address literal such as {@code [192.0.2.1]}. */
    public String domain() {
        return domain;
    }

    /** True when the local part has non-ASCII characters, so the address can only travel with SMTPUTF8. */
    public boolean requiresSmtpUtf8() {
        return !isAscii(localPart);
    }

    /** True when the address, as given, has any non-ASCII character (local part or U-label domain). */
    public boolean isInternational() {
        return !isAscii(localPart) || !isAscii(domain);
    }

    /**
     * The address as written in MAIL FROM or RCPT TO, without angle brackets: with SMTPUTF8 as given, otherwise
     * with the domain in A-labels.
     *
     * @throws IllegalStateException when the local part needs SMTPUTF8 and {@code smtpUtf8} is false
     */
    public String toSmtpString(boolean smtpUtf8) {
        if (smtpUtf8) {
            return localPart + "@" + domain;
        }
        if (requiresSmtpUtf8()) {
            throw new IllegalStateException("address " + this + " has a non-ASCII local part and needs SMTPUTF8");
        }
        return localPart + "@" + asciiDomain;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Path other
                && localPart.equals(other.localPart)
                && asciiDomain.equalsIgnoreCase(other.asciiDomain);
    }

    @Override
    public int hashCode() {
        return localPart.hashCode() * 31 + asciiDomain.toLowerCase(Locale.ROOT).hashCode();
    }

    @Override
    public String toString() {
        return localPart + "@" + domain;
    }

    private int utf8Length() {
        return toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static void checkLocalPart(String local, String whole) {
        if (local.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL_PART) {
            throw new IllegalArgumentException(
                    "local part longer than " + MAX_LOCAL_PART + " octets: " + escape(whole));
        }
        if (local.startsWith("\"")) {
            checkQuotedString(local, whole);
            return;
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            throw new IllegalArgumentException("local part has a misplaced dot: " + escape(whole));
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c != '.' && !isAtext(c)) {
                throw new IllegalArgumentException("address contains '" + escape(String.valueOf(c))
                        + "', which is allowed only inside a quoted local part: " + escape(whole));
            }
        }
    }

    private static void checkQuotedString(String local, String whole) {
        if (local.length() < 2 || !local.endsWith("\"")) {
            throw new IllegalArgumentException("unterminated quoted local part: " + escape(whole));
        }
        for (int i = 1; i < local.length() - 1; i++) {
            char c = local.charAt(i);
            if (c == '\\') {
                i++;
                if (i >= local.length() - 1) {
                    throw new IllegalArgumentException("dangling backslash in quoted local part: " + escape(whole));
                }
            } else if (c == '"') {
                throw new IllegalArgumentException("unescaped quote inside quoted local part: " + escape(whole));
            }
        }
    }

    // RFC 5322 atext, extended by RFC 6531 with UTF-8 non-ASCII characters.
    private static boolean isAtext(char c) {
        if (c >= 0x80) {
            return !Character.isWhitespace(c) && !Character.isSpaceChar(c);
        }
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    private static String asciiDomain(String domain, String whole) {
        if (domain.getBytes(StandardCharsets.UTF_8).length > MAX_DOMAIN) {
            throw new IllegalArgumentException("domain longer than " + MAX_DOMAIN + " octets: " + escape(whole));
        }
        if (domain.startsWith("[")) {
            checkAddressLiteral(domain, whole);
            return domain;
        }
        if (isAscii(domain)) {
            checkAsciiDomain(domain, whole);
            return domain;
        }
        String ascii;
        try {
            ascii = IDN.toASCII(domain, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid internationalised domain: " + escape(whole), e);
        }
        // java.net.IDN is IDNA2003: it maps ß to ss, final sigma to sigma and drops joiners. Those change the
        // domain, so any input whose round trip differs (beyond case) is refused rather than rewritten.
        String back = IDN.toUnicode(ascii, 0);
        if (!back.toLowerCase(Locale.ROOT).equals(domain.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("domain '" + escape(domain) + "' would be changed to '" + escape(back)
                    + "' by IDNA2003 mapping; write it in the form it is registered under (A-labels)");
        }
        checkAsciiDomain(ascii, whole);
        return ascii;
    }

    private static void checkAsciiDomain(String domain, String whole) {
        String[] labels = domain.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63) {
                throw new IllegalArgumentException("invalid domain label in " + escape(whole));
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw new IllegalArgumentException("domain label starts or ends with '-': " + escape(whole));
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                if (!ok) {
                    throw new IllegalArgumentException(
                            "domain contains '" + escape(String.valueOf(c)) + "': " + escape(whole));
                }
            }
        }
    }

    private static void checkAddressLiteral(String literal, String whole) {
        if (!literal.endsWith("]")) {
            throw new IllegalArgumentException("unterminated address literal: " + escape(whole));
        }
        String inner = literal.substring(1, literal.length() - 1);
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            // dcontent: printable US-ASCII except [ \ ]; also < > " which would end or confuse the path on the wire.
            if (c < 33 || c > 126 || c == '[' || c == ']' || c == '\\' || c == '<' || c == '>' || c == '"') {
                throw new IllegalArgumentException("invalid address literal: " + escape(whole));
            }
        }
        if (inner.isEmpty()) {
            throw new IllegalArgumentException("empty address literal: " + escape(whole));
        }
    }

    private static boolean validSurrogateAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Escapes control characters so that an error message can quote hostile input safely. */
    static String escape(String s) {
        return Escaping.escape(s);
    }
}
