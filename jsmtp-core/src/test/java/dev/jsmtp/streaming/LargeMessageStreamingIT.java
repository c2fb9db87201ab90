package dev.jsmtp.streaming;

import dev.jsmtp.SmtpClient;
import dev.jsmtp.transport.FakeSmtpServer;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 1 GiB message streamed from a generator by a client JVM limited to 64 MiB of heap, to a discarding SMTP
 * server in this JVM: the send must succeed, every octet must arrive, and the client's peak heap must stay
 * small. The throughput next to a raw socket copy of the same octets is printed, not asserted.
 */
class LargeMessageStreamingIT {

    private static final long SIZE = 1L << 30;
    private static final long MIB = 1L << 20;

    @Test
    void aGibibyteMessageStreamsThroughA64MibHeap() throws Exception {
        AtomicLong rawOctets = new AtomicLong();
        try (FakeSmtpServer smtp = new FakeSmtpServer(List.of("PIPELINING", "CHUNKING", "8BITMIME"), false);
             ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread sink = new Thread(() -> discard(raw, rawOctets), "raw-sink");
            sink.setDaemon(true);
            sink.start();
            String classpath = location(SmtpClient.class) + File.pathSeparator + location(StreamingClientMain.class);
            Process child = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-cp", classpath, StreamingClientMain.class.getName(),
                    String.valueOf(smtp.port()), String.valueOf(raw.getLocalPort()), String.valueOf(SIZE))
                    .redirectErrorStream(true).start();
            String output;
            try (InputStream out = child.getInputStream()) {
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(child.exitValue()).as(output).isZero();
            Map<String, Long> values = new HashMap<>();
            for (String line : output.split("\n")) {
                String[] kv = line.strip().split(" ");
                if (kv.length == 2 && kv[1].matches("\\d+")) {
                    values.put(kv[0], Long.parseLong(kv[1]));
                }
            }
            assertThat(values.get("SMTP_REPLY")).as(output).isEqualTo(250);
            assertThat(smtp.octets()).isEqualTo(SIZE);
            assertThat(rawOctets.get()).isEqualTo(SIZE);
            long peak = values.get("PEAK_HEAP");
            assertThat(peak).as("peak heap").isLessThan(64 * MIB);
            // Half the heap at most: buffering whole chunks of tens of MiB would show here before any OOM does.
            assertThat(peak).as("peak heap").isLessThan(32 * MIB);
            double smtpMbs = SIZE / 1e6 / (values.get("SMTP_NANOS") / 1e9);
            double rawMbs = SIZE / 1e6 / (values.get("RAW_NANOS") / 1e9);
            System.out.printf("1 GiB over SMTP (BDAT): %.0f MB/s; raw socket copy: %.0f MB/s; client peak heap "
                    + "%.1f MiB (max %d MiB)%n", smtpMbs, rawMbs, peak / (double) MIB, values.get("MAX_HEAP") / MIB);
        }
    }

    private static String location(Class<?> type) throws Exception {
        return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static void discard(ServerSocket listener, AtomicLong count) {
        try (Socket s = listener.accept()) {
            byte[] buf = new byte[64 * 1024];
            InputStream in = s.getInputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                count.addAndGet(n);
            }
        } catch (IOException e) {
            // The test's assertions on the count report any loss.
        }
    }
}
