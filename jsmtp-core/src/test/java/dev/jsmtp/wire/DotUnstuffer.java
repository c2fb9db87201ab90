package dev.jsmtp.wire;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Test utility: what a server reading DATA content does (RFC 5321 §4.5.2). It fails when the wire has a bare CR
 * or LF, or when the end-of-data line comes anywhere but at the very end (SMTP smuggling), and otherwise returns
 * the content with one leading dot removed from each line.
 */
public final class DotUnstuffer {

    private DotUnstuffer() {
    }

    /** The content carried by {@code wire}, which must be dot-stuffed CRLF lines ending with {@code .CRLF}. */
    public static byte[] unstuff(byte[] wire) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        int lineStart = 0;
        for (int i = 0; i < wire.length; i++) {
            byte b = wire[i];
            if (b == '\r' && (i + 1 >= wire.length || wire[i + 1] != '\n')) {
                throw new AssertionError("bare CR at offset " + i + " in " + show(wire));
            }
            if (b == '\n' && (i == 0 || wire[i - 1] != '\r')) {
                throw new AssertionError("bare LF at offset " + i + " in " + show(wire));
            }
            if (b != '\n') {
                continue;
            }
            int contentEnd = i - 1; // before the CR
            if (contentEnd - lineStart == 1 && wire[lineStart] == '.') {
                if (i != wire.length - 1) {
                    throw new AssertionError("end of data at offset " + lineStart + " before the end of "
                            + show(wire));
                }
                return content.toByteArray();
            }
            int from = wire[lineStart] == '.' && contentEnd > lineStart ? lineStart + 1 : lineStart;
            content.write(wire, from, i + 1 - from);
            lineStart = i + 1;
        }
        throw new AssertionError("no end of data line in " + show(wire));
    }

    /** True when {@code wire} contains CRLF "." CRLF (or starts with "." CRLF) anywhere before its last 3 bytes. */
    public static boolean endsDataEarly(byte[] wire) {
        if (wire.length > 3 && wire[0] == '.' && wire[1] == '\r' && wire[2] == '\n') {
            return true;
        }
        for (int i = 0; i < wire.length - 5; i++) {
            if (wire[i] == '\r' && wire[i + 1] == '\n' && wire[i + 2] == '.' && wire[i + 3] == '\r'
                    && wire[i + 4] == '\n') {
                return true;
            }
        }
        return false;
    }

    static String show(byte[] wire) {
        return dev.jsmtp.Escaping.escape(wire, 0, Math.min(wire.length, 300))
                + (wire.length > 300 ? "... (" + wire.length + " bytes)" : "");
    }

    /** The reference CRLF normalisation, one byte at a time: CRLF, bare CR and bare LF each become CRLF. */
    public static byte[] normalize(byte[] in, boolean completeLastLine) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '\r') {
                out.write('\r');
                out.write('\n');
                if (i + 1 < in.length && in[i + 1] == '\n') {
                    i++;
                }
            } else if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else {
                out.write(b);
            }
        }
        byte[] result = out.toByteArray();
        int n = result.length;
        if (completeLastLine && n > 0 && !(n >= 2 && result[n - 2] == '\r' && result[n - 1] == '\n')) {
            result = Arrays.copyOf(result, n + 2);
            result[n] = '\r';
            result[n + 1] = '\n';
        }
        return result;
    }

    /** The reference DATA encoding: normalised, each line's leading dot doubled, then {@code .CRLF}. */
    public static byte[] stuff(byte[] in) {
        byte[] normalized = normalize(in, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lineStart = true;
        for (byte b : normalized) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        out.write('.');
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }
}
