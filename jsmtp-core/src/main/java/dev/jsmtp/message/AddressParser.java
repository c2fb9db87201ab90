package dev.jsmtp.message;

import dev.jsmtp.Escaping;
import dev.jsmtp.Path;

import java.util.ArrayList;
import java.util.List;

/**
 * A recursive-descent parser for RFC 5322 §3.4 address lists, lenient where real mail is (obs-phrase dots in
 * display names, "addr (Name)" comments) and strict where the envelope depends on it (the address itself).
 */
final class AddressParser {

    private static final String SPECIALS = "()<>[]:;@\\,\"";

    private final String text;
    private int pos;
    private String lastComment;

    AddressParser(String text) {
        this.text = text;
    }

    List<Mailbox> addressList() {
        List<Mailbox> result = new ArrayList<>();
        while (true) {
            skipCfws();
            if (pos >= text.length()) {
                return result;
            }
            if (peek() == ',') {
                pos++;
                continue;
            }
            address(result, false);
            skipCfws();
            if (pos < text.length()) {
                expect(',');
            }
        }
    }

    /** One mailbox or (unless inside a group) a group, appended to {@code out}. */
    private void address(List<Mailbox> out, boolean inGroup) {
        lastComment = null;
        int start = pos;
        List<String> words = new ArrayList<>();
        while (true) {
            skipCfws();
            if (pos >= text.length()) {
                throw error("missing '@' in address", start);
            }
            char c = peek();
            if (c == '<') {
                pos++;
                Path path = addrSpec('>');
                expect('>');
                out.add(mailbox(words.isEmpty() ? null : String.join(" ", words), path));
                return;
            }
            if (c == ':' && !inGroup) {
                pos++;
                group(out);
                return;
            }
            if (c == '@') {
                pos = start;
                Path path = addrSpec(',');
                skipCfws();
                out.add(mailbox(lastComment, path));
                return;
            }
            if (c == '"') {
                String q = quotedString();
                words.add(q);
            } else if (c == '.') {
                // obs-phrase: "John Q. Public"
                pos++;
                if (!words.isEmpty()) {
                    words.set(words.size() - 1, words.get(words.size() - 1) + ".");
                } else {
                    words.add(".");
                }
            } else if (SPECIALS.indexOf(c) < 0) {
                words.add(atom());
            } else {
                throw error("unexpected '" + c + "'", pos);
            }
        }
    }

    private void group(List<Mailbox> out) {
        while (true) {
            skipCfws();
            if (pos >= text.length()) {
                return; // a missing ';' is common and harmless
            }
            char c = peek();
            if (c == ';') {
                pos++;
                return;
            }
            if (c == ',') {
                pos++;
                continue;
            }
            address(out, true);
        }
    }

    /** local-part "@" domain, ending before {@code end}, a comma, a semicolon or the end of text. */
    private Path addrSpec(char end) {
        skipCfws();
        StringBuilder local = new StringBuilder();
        boolean afterWord = false;
        while (pos < text.length() && peek() != '@') {
            char c = peek();
            if (c == '.') {
                local.append(c);
                pos++;
                afterWord = false;
            } else if (c == '(' || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                skipCfws();
            } else if (afterWord) {
                throw error("words of a local part must be joined by '.'", pos);
            } else if (c == '"') {
                int s = pos;
                quotedString();
                local.append(text, s, pos);
                afterWord = true;
            } else if (SPECIALS.indexOf(c) >= 0) {
                throw error("unexpected '" + c + "' in local part", pos);
            } else {
                local.append(atom());
                afterWord = true;
            }
        }
        if (pos >= text.length()) {
            throw error("missing '@' in address", pos);
        }
        pos++;
        skipCfws();
        StringBuilder domain = new StringBuilder();
        if (pos < text.length() && peek() == '[') {
            int close = text.indexOf(']', pos);
            if (close < 0) {
                throw error("unterminated domain literal", pos);
            }
            domain.append(text, pos, close + 1);
            pos = close + 1;
        } else {
            boolean afterLabel = false;
            while (pos < text.length()) {
                char c = peek();
                if (c == '.') {
                    domain.append(c);
                    pos++;
                    afterLabel = false;
                } else if (c == '(' || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    skipCfws();
                } else if (c == end || c == ',' || c == ';' || c == '>' || SPECIALS.indexOf(c) >= 0) {
                    break;
                } else if (afterLabel) {
                    throw error("labels of a domain must be joined by '.'", pos);
                } else {
                    domain.append(atom());
                    afterLabel = true;
                }
            }
        }
        String address = unquoteIfDotAtom(local.toString()) + "@" + domain;
        try {
            return Path.of(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid address in '" + Escaping.escape(text) + "': " + e.getMessage(),
                    e);
        }
    }

    private static Mailbox mailbox(String rawName, Path path) {
        if (rawName == null) {
            return Mailbox.of(path);
        }
        return Mailbox.of(EncodedWords.decode(rawName).strip(), path);
    }

    private String atom() {
        int s = pos;
        while (pos < text.length()) {
            char c = peek();
            if (c <= ' ' || c == '.' || SPECIALS.indexOf(c) >= 0 || c == 0x7f) {
                break;
            }
            pos++;
        }
        if (s == pos) {
            throw error("unexpected '" + Escaping.escape(String.valueOf(peek())) + "'", pos);
        }
        return text.substring(s, pos);
    }

    /** A quoted string, returned without quotes or backslashes. */
    private String quotedString() {
        int s = pos;
        pos++;
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\' && pos < text.length()) {
                c = text.charAt(pos++);
            } else if (c == '\r' || c == '\n') {
                continue; // folding
            }
            out.append(c);
        }
        throw error("unterminated quoted string", s);
    }

    private void skipCfws() {
        while (pos < text.length()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pos++;
            } else if (c == '(') {
                lastComment = comment();
            } else {
                return;
            }
        }
    }

    private String comment() {
        int s = pos;
        int depth = 0;
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '\\' && pos < text.length()) {
                out.append(text.charAt(pos++));
                continue;
            }
            if (c == '(') {
                if (depth++ == 0) {
                    continue;
                }
            } else if (c == ')') {
                if (--depth == 0) {
                    return out.toString().strip();
                }
            }
            out.append(c);
        }
        throw error("unterminated comment", s);
    }

    private static String unquoteIfDotAtom(String local) {
        if (local.length() >= 2 && local.startsWith("\"") && local.endsWith("\"")) {
            String inner = local.substring(1, local.length() - 1);
            if (!inner.contains("\\") && inner.matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")) {
                return inner;
            }
        }
        return local;
    }

    private char peek() {
        return text.charAt(pos);
    }

    private void expect(char c) {
        skipCfws();
        if (pos >= text.length() || peek() != c) {
            throw error("expected '" + c + "'", pos);
        }
        pos++;
    }

    private IllegalArgumentException error(String what, int at) {
        return new IllegalArgumentException(what + " at position " + at + " of '" + Escaping.escape(text) + "'");
    }
}
