package dev.jsmtp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jsmtp.Reply;
import dev.jsmtp.wire.ReplyReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes {@link ReplyReader} with whatever a server might send: it only ever returns replies within the limits or
 * throws an {@link IOException}, reads at most one byte past the reply size limit, and gives the same outcome
 * whether the bytes arrive at once or one per read.
 */
class ReplyFuzzTest {

    private static final ReplyReader.Limits LIMITS = new ReplyReader.Limits(64, 8, 256);
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    @FuzzTest
    void replyReader(byte[] input) {
        List<String> whole = outcomes(new ByteArrayInputStream(input), null);
        OneBytePerRead drip = new OneBytePerRead(input);
        List<String> dripped = outcomes(drip, drip);
        if (!dripped.equals(whole)) {
            throw new AssertionError("outcome depends on how the bytes were read: " + whole + " vs " + dripped);
        }
    }

    private static List<String> outcomes(InputStream in, OneBytePerRead counter) {
        List<String> outcomes = new ArrayList<>();
        ReplyReader reader = new ReplyReader(in, "fuzz", LIMITS, null, line -> { });
        while (true) {
            long before = counter == null ? 0 : counter.consumed;
            try {
                Reply reply = reader.read(TIMEOUT);
                check(reply);
                outcomes.add(reply.code() + " " + reply.status() + " " + reply.lines());
            } catch (IOException e) {
                // Any IOException subtype is an accepted outcome; everything else escapes as a finding.
                outcomes.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                return outcomes;
            } finally {
                if (counter != null && counter.consumed - before > LIMITS.maxReplyBytes() + 1) {
                    throw new AssertionError("read " + (counter.consumed - before) + " bytes for one reply");
                }
            }
        }
    }

    // Plain checks rather than AssertJ: this runs for every fuzz input, and speed is coverage.
    private static void check(Reply reply) {
        int code = reply.code();
        if (code < 200 || code > 559 || code / 10 % 10 > 5) {
            throw new AssertionError("reply code " + code);
        }
        if (reply.lines().isEmpty() || reply.lines().size() > LIMITS.maxLines()) {
            throw new AssertionError(reply.lines().size() + " lines");
        }
        for (String line : reply.lines()) {
            // Each undecodable byte becomes U+FFFD, three bytes in UTF-8.
            if (line.getBytes(StandardCharsets.UTF_8).length > LIMITS.maxLineLength() * 3
                    || line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0 || line.indexOf('\0') >= 0) {
                throw new AssertionError("line " + line);
            }
        }
    }

    private static final class OneBytePerRead extends InputStream {
        private final byte[] data;
        long consumed;

        OneBytePerRead(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return consumed < data.length ? data[(int) consumed++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int c = read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            return 1;
        }
    }
}
