package dev.jsmtp.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A throwaway sanity measurement, not a test and not a benchmark: MB/s of {@link DotStuffingOutputStream} on one
 * core, writing 64 KiB arrays into a sink that discards them. Run with
 * {@code java -cp target/classes:target/test-classes dev.jsmtp.wire.DotStuffingThroughput}.
 */
public final class DotStuffingThroughput {

    private DotStuffingThroughput() {
    }

    public static void main(String[] args) throws IOException {
        String crlfText = ("The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs.\r\n"
                + ".a line that starts with a dot\r\n");
        String lfText = crlfText.replace("\r\n", "\n");
        byte[] binary = new byte[64 * 1024];
        new java.util.Random(1).nextBytes(binary);
        report("CRLF text, 88-byte lines", fill(crlfText.getBytes(StandardCharsets.US_ASCII)));
        report("bare-LF text (rewritten)", fill(lfText.getBytes(StandardCharsets.US_ASCII)));
        report("random bytes", binary);
    }

    private static byte[] fill(byte[] pattern) {
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < block.length; i++) {
            block[i] = pattern[i % pattern.length];
        }
        return block;
    }

    private static void report(String name, byte[] block) throws IOException {
        long total = 4L << 30;
        for (int round = 0; round < 3; round++) {
            Sink sink = new Sink();
            DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
            long start = System.nanoTime();
            for (long n = 0; n < total; n += block.length) {
                out.write(block);
            }
            out.finish();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%-28s round %d: %6.0f MB/s in, %d bytes out%n", name, round,
                    total / seconds / 1e6, sink.count);
        }
    }

    private static final class Sink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
