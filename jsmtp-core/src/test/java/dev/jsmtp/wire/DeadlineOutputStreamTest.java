package dev.jsmtp.wire;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

@Timeout(30)
class DeadlineOutputStreamTest {

    private static final Duration DEADLINE = Duration.ofMillis(300);
    private static final long MARGIN_MILLIS = 1500;

    private ServerSocket server;
    private Socket client;
    private Socket accepted;

    @AfterEach
    void closeSockets() throws IOException {
        for (AutoCloseable c : new AutoCloseable[] {client, accepted, server}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    private void connect() throws IOException {
        server = new ServerSocket();
        server.setReceiveBufferSize(8192);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new Socket();
        client.setSendBufferSize(8192);
        client.connect(server.getLocalSocketAddress());
        accepted = server.accept();
    }

    @Test
    void aWriteToAPeerThatNeverReadsFailsSoonAfterTheDeadline() throws IOException {
        connect();
        AtomicInteger stalls = new AtomicInteger();
        Socket socket = client;
        DeadlineOutputStream out = new DeadlineOutputStream(client.getOutputStream(), DEADLINE, () -> {
            stalls.incrementAndGet();
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all we can do
            }
        }, WriteWatchdog.shared());
        byte[] block = new byte[16 * 1024];
        long lastWriteStarted = 0;
        long written = 0;
        Throwable thrown = null;
        while (thrown == null && written < (256L << 20)) {
            lastWriteStarted = System.nanoTime();
            thrown = catchThrowable(() -> out.write(block));
            written += block.length;
        }
        long blockedMillis = (System.nanoTime() - lastWriteStarted) / 1_000_000;
        assertThat(thrown).isInstanceOf(WriteTimeoutException.class)
                .hasMessage("write made no progress for 300 ms; the server stopped reading");
        assertThat(thrown.getCause()).isInstanceOf(IOException.class);
        assertThat(blockedMillis).isBetween(DEADLINE.toMillis() - 50, DEADLINE.toMillis() + MARGIN_MILLIS);
        assertThat(stalls.get()).isEqualTo(1);
        assertThat(out.isStalled()).isTrue();
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(WriteTimeoutException.class);
        assertThatThrownBy(out::flush).isInstanceOf(WriteTimeoutException.class);
    }

    @Test
    void aPeerThatReadsSlowlyButSteadilyIsNotAStall() throws Exception {
        connect();
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = accepted.getInputStream()) {
                while (in.read(buffer) >= 0) {
                    Thread.sleep(5);
                }
            } catch (IOException | InterruptedException ignored) {
                // the test ends the connection
            }
        });
        reader.start();
        AtomicInteger stalls = new AtomicInteger();
        DeadlineOutputStream out = new DeadlineOutputStream(client.getOutputStream(), DEADLINE,
                stalls::incrementAndGet, WriteWatchdog.shared());
        // One big write: sliced, each slice gets its own deadline, so steady progress never trips it.
        out.write(new byte[1 << 20]);
        for (int i = 0; i < 50; i++) {
            out.write(new byte[1000]);
            out.flush();
        }
        assertThat(stalls.get()).isZero();
        assertThat(out.isStalled()).isFalse();
        client.shutdownOutput();
        reader.join(10_000);
    }

    @Test
    void anIdleStreamNeverStalls() throws Exception {
        CountingOutput sink = new CountingOutput();
        AtomicInteger stalls = new AtomicInteger();
        DeadlineOutputStream out = new DeadlineOutputStream(sink, Duration.ofMillis(50), stalls::incrementAndGet,
                WriteWatchdog.shared());
        out.write(new byte[10]);
        Thread.sleep(200);
        out.write(new byte[10]);
        out.flush();
        Thread.sleep(200);
        assertThat(stalls.get()).isZero();
        out.write(3);
        assertThat(sink.count).isEqualTo(21);
    }

    @Test
    void aBlockedFlushIsReleasedByTheStallActionAndReportsTheTimeout() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        OutputStream blocking = new OutputStream() {
            @Override
            public void write(int b) {
            }

            @Override
            public void flush() throws IOException {
                try {
                    released.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("Socket closed");
            }
        };
        DeadlineOutputStream out = new DeadlineOutputStream(blocking, Duration.ofMillis(100), released::countDown,
                WriteWatchdog.shared());
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(out::flush);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(thrown).isInstanceOf(WriteTimeoutException.class).hasCauseInstanceOf(IOException.class);
        assertThat(((WriteTimeoutException) thrown).deadline()).isEqualTo(Duration.ofMillis(100));
        assertThat(millis).isBetween(90L, 100 + MARGIN_MILLIS);
    }

    @Test
    void anIoErrorWithoutAStallIsPassedOnUnchanged() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Connection reset");
            }
        };
        DeadlineOutputStream out = new DeadlineOutputStream(broken, DEADLINE, () -> { }, WriteWatchdog.shared());
        assertThatThrownBy(() -> out.write(1)).isExactlyInstanceOf(IOException.class).hasMessage("Connection reset");
        assertThat(out.isStalled()).isFalse();
    }

    @Test
    void theDeadlineMustBePositive() {
        assertThatThrownBy(() -> new DeadlineOutputStream(new CountingOutput(), Duration.ZERO, () -> { },
                WriteWatchdog.shared())).isInstanceOf(IllegalArgumentException.class);
    }

    private static final class CountingOutput extends OutputStream {
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
