package dev.jsmtp.message;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 2047 encoded words in UTF-8: encoding with B or Q, whichever is shorter, in words of at most 75 characters
 * that never split a UTF-8 sequence; and decoding of any charset the JDK knows.
 */
final class EncodedWords {

    /** The longest encoded word RFC 2047 §2 allows. */
    static final int MAX_WORD = 75;
    private static final String B_PREFIX = "=?UTF-8?B?";
    private static final String Q_PREFIX = "=?UTF-8?Q?";
    private static final int OVERHEAD = B_PREFIX.length() + 2;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final Pattern WORD = Pattern.compile("=\\?([^?\\s]+)\\?([bBqQ])\\?([^?\\s]*)\\?=");

    private EncodedWords() {
    }

    /** Q may leave a byte as it is only if it is safe in every place an encoded word may stand (§5 (3)). */
    static boolean qLiteral(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || b == '!' || b == '*' || b == '+' || b == '-' || b == '/' || b == ' ';
    }

    private static int qCost(int b) {
        return qLiteral(b) ? 1 : 3;
    }

    /**
     * Encodes {@code text} as encoded words: the first at most {@code firstMax} characters long, the others at
     * most {@link #MAX_WORD}. Whitespace between the words is ignored by decoders, so the text survives whole.
     */
    static List<String> encode(String text, int firstMax) {
        byte[] all = text.getBytes(StandardCharsets.UTF_8);
        long q = 0;
        for (byte b : all) {
            q += qCost(b & 0xff);
        }
        boolean useB = (all.length + 2L) / 3 * 4 < q;
        List<String> words = new ArrayList<>();
        int max = Math.max(firstMax, OVERHEAD + 8);
        int i = 0;
        byte[] chunk = new byte[all.length];
        int chunkLen = 0;
        int cost = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            byte[] cpBytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            int newCost;
            if (useB) {
                newCost = (chunkLen + cpBytes.length + 2) / 3 * 4;
            } else {
                newCost = cost;
                for (byte b : cpBytes) {
                    newCost += qCost(b & 0xff);
                }
            }
            if (chunkLen > 0 && OVERHEAD + newCost > max) {
                words.add(word(chunk, chunkLen, useB));
                chunkLen = 0;
                cost = 0;
                max = MAX_WORD;
                continue;
            }
            System.arraycopy(cpBytes, 0, chunk, chunkLen, cpBytes.length);
            chunkLen += cpBytes.length;
            cost = newCost;
            i += Character.charCount(cp);
        }
        if (chunkLen > 0 || words.isEmpty()) {
            words.add(word(chunk, chunkLen, useB));
        }
        return words;
    }

    private static String word(byte[] bytes, int len, boolean useB) {
        if (useB) {
            byte[] exact = java.util.Arrays.copyOf(bytes, len);
            return B_PREFIX + Base64.getEncoder().encodeToString(exact) + "?=";
        }
        StringBuilder out = new StringBuilder(Q_PREFIX);
        for (int k = 0; k < len; k++) {
            int b = bytes[k] & 0xff;
            if (b == ' ') {
                out.append('_');
            } else if (qLiteral(b)) {
                out.append((char) b);
            } else {
                out.append('=').append(HEX[b >> 4]).append(HEX[b & 15]);
            }
        }
        return out.append("?=").toString();
    }

    /**
     * Decodes every encoded word in {@code text}; whitespace between two adjacent encoded words is dropped, as
     * RFC 2047 §6.2 asks. Words in unknown charsets or with bad payloads are left as they are.
     */
    static String decode(String text) {
        if (!text.contains("=?")) {
            return text;
        }
        Matcher m = WORD.matcher(text);
        StringBuilder out = new StringBuilder();
        int last = 0;
        boolean lastWasWord = false;
        while (m.find()) {
            String between = text.substring(last, m.start());
            String decoded = decodeWord(m.group(1), m.group(2), m.group(3));
            if (decoded == null) {
                out.append(between).append(m.group());
                lastWasWord = false;
            } else {
                if (!(lastWasWord && between.isBlank())) {
                    out.append(between);
                }
                out.append(decoded);
                lastWasWord = true;
            }
            last = m.end();
        }
        return out.append(text.substring(last)).toString();
    }

    private static String decodeWord(String charsetName, String encoding, String payload) {
        try {
            int star = charsetName.indexOf('*'); // RFC 2231 language tag
            Charset charset = Charset.forName(star >= 0 ? charsetName.substring(0, star) : charsetName);
            byte[] bytes;
            if (encoding.toUpperCase(Locale.ROOT).equals("B")) {
                bytes = Base64.getMimeDecoder().decode(payload);
            } else {
                bytes = decodeQ(payload);
            }
            return new String(bytes, charset);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] decodeQ(String payload) {
        byte[] out = new byte[payload.length()];
        int n = 0;
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c == '_') {
                out[n++] = ' ';
            } else if (c == '=' && i + 2 < payload.length()) {
                out[n++] = (byte) Integer.parseInt(payload.substring(i + 1, i + 3), 16);
                i += 2;
            } else if (c == '=') {
                throw new IllegalArgumentException("truncated Q escape");
            } else {
                out[n++] = (byte) c;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
