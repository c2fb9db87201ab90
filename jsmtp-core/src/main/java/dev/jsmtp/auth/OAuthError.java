package dev.jsmtp.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON error a server sends in a 334 challenge when it refuses an OAuth2 token (RFC 7628 §3.2.2, and Google's
 * XOAUTH2), such as {@code {"status":"401","schemes":"Bearer","scope":"https://mail.google.com/"}}.
 *
 * <p>The reader is deliberately tiny and strict: one flat object whose values are strings or numbers, at most
 * {@value #MAX_CHARS} characters and {@value #MAX_MEMBERS} members. Anything else is not an error report this
 * class understands, and {@link #parse(byte[])} returns empty.
 */
public record OAuthError(Map<String, String> members) {

    static final int MAX_CHARS = 4096;
    static final int MAX_MEMBERS = 32;

    public OAuthError {
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    /** The HTTP-like status, such as {@code 401} (invalid token) or {@code 400}. */
    public Optional<String> status() {
        return Optional.ofNullable(members.get("status"));
    }

    /** The scope the token would need, such as {@code https://mail.google.com/}. */
    public Optional<String> scope() {
        return Optional.ofNullable(members.get("scope"));
    }

    /** The authentication schemes the server accepts, usually {@code Bearer}. */
    public Optional<String> schemes() {
        return Optional.ofNullable(members.get("schemes"));
    }

    /** The members of a decoded challenge, or empty when it is not a flat JSON object of strings and numbers. */
    public static Optional<OAuthError> parse(byte[] challenge) {
        if (challenge.length > MAX_CHARS * 4) {
            return Optional.empty();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(challenge)).toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        if (text.length() > MAX_CHARS) {
            return Optional.empty();
        }
        return new Reader(text).object().map(OAuthError::new);
    }

    /**
     * A recursive-descent reader for exactly one flat object; {@code string()} and {@code number()} return null
     * on a syntax error.
     */
    private static final class Reader {
        private final String s;
        private int i;

        Reader(String s) {
            this.s = s;
        }

        Optional<Map<String, String>> object() {
            Map<String, String> members = new LinkedHashMap<>();
            skipSpace();
            if (!take('{')) {
                return Optional.empty();
            }
            skipSpace();
            if (!take('}')) {
                do {
                    skipSpace();
                    String key = string();
                    skipSpace();
                    if (key == null || !take(':')) {
                        return Optional.empty();
                    }
                    skipSpace();
                    String value = peek() == '"' ? string() : number();
                    if (value == null || members.put(key, value) != null || members.size() > MAX_MEMBERS) {
                        return Optional.empty();
                    }
                    skipSpace();
                } while (take(','));
                if (!take('}')) {
                    return Optional.empty();
                }
            }
            skipSpace();
            return i == s.length() ? Optional.of(members) : Optional.empty();
        }

        private String string() {
            if (!take('"')) {
                return null;
            }
            StringBuilder out = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    return null;
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    return null;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"': case '\\': case '/':
                        out.append(e);
                        break;
                    case 'b':
                        out.append('\b');
                        break;
                    case 'f':
                        out.append('\f');
                        break;
                    case 'n':
                        out.append('\n');
                        break;
                    case 'r':
                        out.append('\r');
                        break;
                    case 't':
                        out.append('\t');
                        break;
                    case 'u':
                        if (i + 4 > s.length()) {
                            return null;
                        }
                        int code = 0;
                        for (int k = 0; k < 4; k++) {
                            int digit = Character.digit(s.charAt(i++), 16);
                            if (digit < 0) {
                                return null;
                            }
                            code = code * 16 + digit;
                        }
                        out.append((char) code);
                        break;
                    default:
                        return null;
                }
            }
            return null;
        }

        /** RFC 8259 §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?, kept as its text. */
        private String number() {
            int start = i;
            take('-');
            if (!take('0') && !digits()) {
                return null;
            }
            if (take('.') && !digits()) {
                return null;
            }
            if (take('e') || take('E')) {
                if (!take('+')) {
                    take('-');
                }
                if (!digits()) {
                    return null;
                }
            }
            return s.substring(start, i);
        }

        private boolean digits() {
            int start = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            return i > start;
        }

        private void skipSpace() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n'
                    || s.charAt(i) == '\r')) {
                i++;
            }
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private boolean take(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }
    }
}
