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

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(dripped).isEqualTo(whole);
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
                if (counter != null) {
                    assertThat(counter.consumed - before).as("bytes read for one reply")
                            .isLessThanOrEqualTo(LIMITS.maxReplyBytes() + 1);
                }
            }
        }
    }

    private static void check(Reply reply) {
        assertThat(reply.code()).isBetween(200, 559);
        assertThat(reply.code() / 10 % 10).isLessThanOrEqualTo(5);
        assertThat(reply.lines()).hasSizeBetween(1, LIMITS.maxLines());
        for (String line : reply.lines()) {
            assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(LIMITS.maxLineLength() * 3);
            assertThat(line).doesNotContain("\r", "\n", "\0");
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
