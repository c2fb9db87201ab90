package dev.jsmtp.message;

import dev.jsmtp.MessageContent;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.util.List;
import java.util.OptionalLong;

/**
 * Run in a forked JVM with a small heap by {@link StreamingTest}: writes a message whose attachment is generated
 * from a stream (never held on disk or in memory) to a counting sink, and prints the size announced in advance,
 * the octets written and the peak heap use. Arguments: attachment size in octets.
 */
public final class LargeAttachmentMain {

    private LargeAttachmentMain() {
    }

    public static void main(String[] args) throws Exception {
        long size = Long.parseLong(args[0]);
        MailMessage m = MailMessage.builder().from("a@example.org").to("b@example.org").subject("large")
                .text("See the attachment.\n")
                .attach(Attachment.of("large.bin", () -> new GeneratedStream(size), "application/octet-stream",
                        OptionalLong.of(size)))
                .build();
        MessageContent content = m.content();
        long announced = content.size().orElse(-1);
        HeapPools heap = new HeapPools();
        heap.resetPeaks();
        long[] count = new long[1];
        long start = System.nanoTime();
        content.writeTo(new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        });
        long nanos = System.nanoTime() - start;
        long peak = heap.peakUsed();
        System.out.println("announced=" + announced + " written=" + count[0] + " peakHeap=" + peak
                + " millis=" + nanos / 1_000_000);
    }

    /**
     * The heap's memory pools through {@code java.lang.management}, reached by reflection because the test
     * sources are compiled inside the {@code dev.jsmtp} module, which does not read {@code java.management}.
     */
    static final class HeapPools {
        private final List<?> pools;
        private final Method type;
        private final Method reset;
        private final Method peakUsage;
        private final Method used;

        HeapPools() throws ReflectiveOperationException {
            Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            Class<?> pool = Class.forName("java.lang.management.MemoryPoolMXBean");
            pools = (List<?>) factory.getMethod("getMemoryPoolMXBeans").invoke(null);
            type = pool.getMethod("getType");
            reset = pool.getMethod("resetPeakUsage");
            peakUsage = pool.getMethod("getPeakUsage");
            used = Class.forName("java.lang.management.MemoryUsage").getMethod("getUsed");
        }

        void resetPeaks() throws ReflectiveOperationException {
            for (Object p : pools) {
                if (isHeap(p)) {
                    reset.invoke(p);
                }
            }
        }

        /** The sum of each heap pool's peak: an upper bound of the heap's peak. */
        long peakUsed() throws ReflectiveOperationException {
            long sum = 0;
            for (Object p : pools) {
                if (isHeap(p)) {
                    sum += (Long) used.invoke(peakUsage.invoke(p));
                }
            }
            return sum;
        }

        private boolean isHeap(Object p) throws ReflectiveOperationException {
            return type.invoke(p).toString().equals("Heap memory");
        }
    }

    /** A deterministic stream of {@code size} octets, produced as read. */
    static final class GeneratedStream extends InputStream {
        private final long size;
        private long position;

        GeneratedStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return position < size ? (int) (position++ * 31 & 0xff) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((position + i) * 31);
            }
            position += n;
            return n;
        }
    }
}
