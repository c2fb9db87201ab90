package dev.jsmtp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jsmtp.Escaping;
import dev.jsmtp.wire.DotStuffingOutputStream;
import dev.jsmtp.wire.DotUnstuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Fuzzes {@link DotStuffingOutputStream} (RFC 5321 §4.5.2) for SMTP smuggling: whatever the content and however
 * it is cut into writes, the wire never ends the data before its end, and un-stuffing gives back the
 * CRLF-normalised content.
 */
class DotStuffingFuzzTest {

    @FuzzTest
    void dotStuffing(byte[] input) throws IOException {
        byte[] whole = encode(input, Integer.MAX_VALUE);
        if (DotUnstuffer.endsDataEarly(whole)) {
            throw new AssertionError("end of data before the end: " + Escaping.escape(whole, 0, whole.length));
        }
        // unstuff() itself fails on a bare CR or LF and on an early end-of-data line.
        if (!Arrays.equals(DotUnstuffer.unstuff(whole), DotUnstuffer.normalize(input, true))) {
            throw new AssertionError("un-stuffing does not give back the content");
        }
        // The same content cut into writes whose sizes the content itself chooses, and one byte at a time.
        if (!Arrays.equals(encode(input, -1), whole) || !Arrays.equals(encode(input, 1), whole)) {
            throw new AssertionError("the encoding depends on how the content was cut into writes");
        }
    }

    private static byte[] encode(byte[] input, int writeSize) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
        for (int at = 0; at < input.length; ) {
            int n = writeSize > 0 ? writeSize : (input[at] & 7) + 1;
            n = Math.min(n, input.length - at);
            if (n == 1 && writeSize == 1) {
                out.write(input[at]);
            } else {
                out.write(input, at, n);
            }
            at += n;
        }
        out.finish();
        return sink.toByteArray();
    }
}
