package dev.jsmtp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The service extensions a server announced in its EHLO reply (RFC 5321 §4.1.1.1): keywords with their
 * parameters, unknown ones kept. A HELO session has none. Parsed anew after every EHLO, so nothing learnt before
 * STARTTLS survives it.
 */
public final class Extensions {

    /** What a server that answered HELO (or nothing yet) supports. */
    public static final Extensions NONE = new Extensions(Map.of());

    private final Map<String, List<String>> keywords;

    private Extensions(Map<String, List<String>> keywords) {
        this.keywords = keywords;
    }

    /**
     * Parses an EHLO reply: the first line is the greeting, every further line one keyword and its parameters.
     * Lines that are not a valid keyword are ignored, as RFC 5321 asks of clients meeting unknown extensions.
     */
    public static Extensions parse(Reply ehloReply) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        List<String> lines = ehloReply.lines();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            List<String> words = words(line);
            String keyword = words.get(0);
            List<String> params = List.copyOf(words.subList(1, words.size()));
            // Legacy "AUTH=PLAIN LOGIN" as sent by old Microsoft and Lotus servers.
            if (keyword.regionMatches(true, 0, "AUTH=", 0, 5)) {
                List<String> mechanisms = new ArrayList<>();
                mechanisms.add(keyword.substring(5));
                mechanisms.addAll(params);
                map.merge("AUTH", upper(mechanisms), Extensions::union);
                continue;
            }
            if (!isKeyword(keyword)) {
                continue;
            }
            String upperKeyword = keyword.toUpperCase(Locale.ROOT);
            map.merge(upperKeyword, upperKeyword.equals("AUTH") ? upper(params) : params, Extensions::union);
        }
        return new Extensions(Collections.unmodifiableMap(map));
    }

    /** The words of a line that does not start with a space or tab, split at runs of spaces and tabs. */
    private static List<String> words(String line) {
        // By hand rather than with split("[ \t]+"): a regular expression costs a one-shot command start-up time.
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == ' ' || line.charAt(i) == '\t') {
                if (i > start) {
                    words.add(line.substring(start, i));
                }
                start = i + 1;
            }
        }
        return words;
    }

    private static boolean isKeyword(String word) {
        if (word.isEmpty() || !Character.isLetterOrDigit(word.charAt(0))) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c >= 0x80 || !(Character.isLetterOrDigit(c) || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static List<String> upper(List<String> words) {
        List<String> upper = new ArrayList<>(words.size());
        for (String w : words) {
            if (!w.isEmpty()) {
                upper.add(w.toUpperCase(Locale.ROOT));
            }
        }
        return List.copyOf(upper);
    }

    private static List<String> union(List<String> a, List<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** True when the server announced {@code extension}. */
    public boolean supports(Extension extension) {
        return keywords.containsKey(extension.keyword());
    }

    /** True when the server announced the keyword, known or not (case-insensitive). */
    public boolean supports(String keyword) {
        return keywords.containsKey(keyword.toUpperCase(Locale.ROOT));
    }

    /** The parameters after a keyword, or an empty list. */
    public List<String> parameters(String keyword) {
        return keywords.getOrDefault(keyword.toUpperCase(Locale.ROOT), List.of());
    }

    /** The limit announced with SIZE; empty when SIZE is absent, its limit is 0 (none) or unreadable. */
    public OptionalLong sizeLimit() {
        List<String> p = keywords.get("SIZE");
        if (p == null || p.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long limit = Long.parseLong(p.get(0));
            return limit > 0 ? OptionalLong.of(limit) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The SASL mechanisms after AUTH (and the legacy AUTH= form), upper case, in the server's order. */
    public Set<String> authMechanisms() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(keywords.getOrDefault("AUTH", List.of())));
    }

    /** Every keyword with its parameters, in the server's order. */
    public Map<String, List<String>> keywords() {
        return keywords;
    }

    @Override
    public String toString() {
        return keywords.toString();
    }
}
