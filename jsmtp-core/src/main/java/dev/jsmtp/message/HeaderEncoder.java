package dev.jsmtp.message;

import dev.jsmtp.Path;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes RFC 5322 header fields: folded at 78 characters where the text allows and never past 998 octets,
 * non-ASCII text as RFC 2047 encoded words (or raw UTF-8 under RFC 6532), file names as RFC 2231 parameters.
 * Every field it returns ends with CRLF.
 */
final class HeaderEncoder {

    static final int FOLD_AT = 78;
    /** A word longer than this (in octets) is encoded so that it can be split across lines. */
    private static final int LONGEST_WORD = 900;
    private static final int LONGEST_QUOTED_PARAM = 60;

    private final boolean utf8;

    /** @param utf8 write non-ASCII as UTF-8 (RFC 6532, only over SMTPUTF8) instead of encoded words */
    HeaderEncoder(boolean utf8) {
        this.utf8 = utf8;
    }

    /**
     * A field with unstructured text (Subject, Comments, custom fields). Trailing whitespace is dropped: a
     * transport may strip it anyway, and before a line break it would be ambiguous.
     */
    String unstructured(String name, String value) {
        Folder f = new Folder(name);
        List<String> tokens = splitAtWhitespace(value.stripTrailing());
        int first = -1;
        int last = -1;
        for (int i = 0; i < tokens.size(); i++) {
            if (needsEncoding(tokens.get(i).strip())) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (i == first) {
                String t = tokens.get(first);
                int wsEnd = t.length() - t.stripLeading().length();
                StringBuilder span = new StringBuilder(t.substring(wsEnd));
                for (int k = first + 1; k <= last; k++) {
                    span.append(tokens.get(k));
                }
                f.addEncoded(wsEnd == 0 ? " " : t.substring(0, wsEnd), span.toString());
                i = last;
            } else {
                String t = tokens.get(i);
                f.add(t.isEmpty() || Character.isWhitespace(t.charAt(0)) ? t : " " + t);
            }
        }
        return f.finish();
    }

    /** A field holding a list of mailboxes (From, To, Cc, Reply-To, Sender). */
    String addresses(String name, List<Mailbox> mailboxes) {
        Folder f = new Folder(name);
        for (int i = 0; i < mailboxes.size(); i++) {
            Mailbox m = mailboxes.get(i);
            String comma = i < mailboxes.size() - 1 ? "," : "";
            String address = address(m.path(), utf8);
            if (m.displayName().isEmpty()) {
                f.add(" " + address + comma);
                continue;
            }
            String phrase = phrase(m.displayName().get(), utf8);
            if (phrase != null) {
                f.add(" " + phrase);
            } else {
                f.addEncoded(" ", m.displayName().get());
            }
            f.add(" <" + address + ">" + comma);
        }
        return f.finish();
    }

    /** A field of message identifiers, each {@code <id>} (Message-ID, In-Reply-To, References). */
    static String messageIds(String name, List<String> ids) {
        Folder f = new Folder(name);
        for (String id : ids) {
            f.add(" " + id);
        }
        return f.finish();
    }

    /**
     * A MIME field with a value and parameters, such as Content-Type or Content-Disposition. The file name goes
     * into {@code fileNameParameter} per RFC 2231, and into {@code encodedNameParameter} (if not null) as a
     * quoted RFC 2047 value, which older Outlook reads.
     */
    static String mimeField(String name, String value, List<String[]> parameters, String fileNameParameter,
                            String fileName, String encodedNameParameter) {
        Folder f = new Folder(name);
        List<List<String>> params = new ArrayList<>();
        params.add(List.of(" " + value));
        for (String[] p : parameters) {
            params.add(List.of(" " + p[0] + "=" + quoteIfNeeded(p[1])));
        }
        if (fileName != null && encodedNameParameter != null) {
            params.add(encodedNameTokens(encodedNameParameter, fileName));
        }
        if (fileName != null && fileNameParameter != null) {
            for (String continuation : rfc2231Tokens(fileNameParameter, fileName)) {
                params.add(List.of(continuation));
            }
        }
        for (int i = 0; i < params.size(); i++) {
            List<String> tokens = params.get(i);
            for (int j = 0; j < tokens.size(); j++) {
                boolean separator = j == tokens.size() - 1 && i < params.size() - 1;
                f.add(separator ? tokens.get(j) + ";" : tokens.get(j));
            }
        }
        return f.finish();
    }

    /** The tokens of a mailbox written on one line, as {@link Mailbox#format(boolean)} shows it. */
    static List<String> mailboxTokens(Mailbox m, boolean utf8) {
        String address = address(m.path(), utf8);
        if (m.displayName().isEmpty()) {
            return List.of(address);
        }
        List<String> out = new ArrayList<>();
        String phrase = phrase(m.displayName().get(), utf8);
        if (phrase != null) {
            out.add(phrase);
        } else {
            out.addAll(EncodedWords.encode(m.displayName().get(), EncodedWords.MAX_WORD));
        }
        out.add("<" + address + ">");
        return out;
    }

    /** The address as written in a header: U-labels only under RFC 6532, A-labels otherwise. */
    static String address(Path path, boolean utf8) {
        if (utf8 || path.requiresSmtpUtf8()) {
            return path.toString();
        }
        return path.toSmtpString(false);
    }

    /** The ASCII form of a domain (A-labels), for Message-ID. */
    static String asciiDomain(String domain) {
        return domain.startsWith("[") ? domain : IDN.toASCII(domain, 0);
    }

    /** The display name as atoms or a quoted string, or null when it must be encoded. */
    private static String phrase(String name, boolean utf8) {
        boolean ascii = name.chars().allMatch(c -> c < 0x80);
        if ((!ascii && !utf8) || name.contains("=?") || octets(name) > LONGEST_WORD) {
            return null;
        }
        boolean atoms = !name.startsWith(" ") && !name.endsWith(" ") && !name.contains("  ");
        for (int i = 0; i < name.length() && atoms; i++) {
            char c = name.charAt(i);
            atoms = c == ' ' || c >= 0x80 || isAtext(c);
        }
        if (atoms) {
            return name;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return null;
            }
        }
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private boolean needsEncoding(String word) {
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if ((c >= 0x80 && !utf8) || (c < 0x20 && c != '\t') || c == 0x7f) {
                return true;
            }
        }
        return word.contains("=?") || octets(word) > LONGEST_WORD;
    }

    /** Splits text into tokens that each start with their whitespace run (the first may have none). */
    static List<String> splitAtWhitespace(String value) {
        List<String> tokens = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < value.length()) {
            while (i < value.length() && isWsp(value.charAt(i))) {
                i++;
            }
            while (i < value.length() && !isWsp(value.charAt(i))) {
                i++;
            }
            tokens.add(value.substring(start, i));
            start = i;
        }
        return tokens;
    }

    private static List<String> encodedNameTokens(String parameter, String fileName) {
        if (isQuotableAscii(fileName)) {
            return List.of(" " + parameter + "=" + quote(fileName));
        }
        List<String> words = EncodedWords.encode(fileName, EncodedWords.MAX_WORD - parameter.length() - 2);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String start = i == 0 ? " " + parameter + "=\"" : " ";
            tokens.add(start + w + (i == words.size() - 1 ? "\"" : ""));
        }
        return tokens;
    }

    /** RFC 2231 §3 and §4: {@code filename*0*=UTF-8''%E5...; filename*1*=...}, split at code points. */
    static List<String> rfc2231Tokens(String parameter, String value) {
        if (isQuotableAscii(value)) {
            return List.of(" " + parameter + "=" + quote(value));
        }
        List<String> segments = new ArrayList<>();
        StringBuilder current = new StringBuilder("UTF-8''");
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            StringBuilder enc = new StringBuilder();
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if (isAttrChar(c)) {
                    enc.append((char) c);
                } else {
                    enc.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
                }
            }
            if (current.length() + enc.length() > LONGEST_QUOTED_PARAM && current.length() > 7) {
                segments.add(current.toString());
                current.setLength(0);
            }
            current.append(enc);
        }
        segments.add(current.toString());
        List<String> tokens = new ArrayList<>();
        if (segments.size() == 1) {
            tokens.add(" " + parameter + "*=" + segments.get(0));
        } else {
            for (int i = 0; i < segments.size(); i++) {
                tokens.add(" " + parameter + "*" + i + "*=" + segments.get(i));
            }
        }
        return tokens;
    }

    private static boolean isQuotableAscii(String s) {
        if (s.length() > LONGEST_QUOTED_PARAM || s.contains("=?")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String quoteIfNeeded(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
                return quote(value);
            }
        }
        return value.isEmpty() ? "\"\"" : value;
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static boolean isAttrChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$&+-.^_`|~".indexOf(c) >= 0;
    }

    static boolean isAtext(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    static int octets(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Lays tokens (each starting with whitespace) on lines of at most 78 characters where it can. */
    private static final class Folder {
        private final StringBuilder out = new StringBuilder();
        private int lineStart;
        private int tokensOnLine;

        Folder(String name) {
            out.append(name).append(':');
        }

        void add(String token) {
            if (tokensOnLine > 0 && column() + token.length() > FOLD_AT) {
                out.append("\r\n");
                lineStart = out.length();
                tokensOnLine = 0;
            }
            out.append(token);
            tokensOnLine++;
        }

        /** Encoded words for {@code text}, the first sized to the room left on the line. */
        void addEncoded(String whitespace, String text) {
            int room = FOLD_AT - column() - whitespace.length();
            if (room < 20 && tokensOnLine > 0) {
                room = EncodedWords.MAX_WORD;
            }
            List<String> words = EncodedWords.encode(text, Math.min(EncodedWords.MAX_WORD, room));
            add(whitespace + words.get(0));
            for (int i = 1; i < words.size(); i++) {
                add(" " + words.get(i));
            }
        }

        private int column() {
            return out.length() - lineStart;
        }

        String finish() {
            return out.append("\r\n").toString();
        }
    }
}
