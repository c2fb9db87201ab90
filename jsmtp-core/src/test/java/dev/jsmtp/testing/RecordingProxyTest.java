package dev.jsmtp.testing;

import dev.jsmtp.testing.RecordingProxy.Direction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingProxyTest {

    private LineServer server;
    private RecordingProxy proxy;

    @BeforeEach
    void startServer() throws IOException {
        server = new LineServer();
    }

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        server.close();
    }

    @Test
    void aBatchWrittenAtOnceIsOneTurnAndEachWaitIsAnother() throws Exception {
        proxy = RecordingProxy.start("127.0.0.1", server.port());
        try (Client c = new Client(proxy.port())) {
            assertThat(c.readLine()).isEqualTo("220 hi");
            c.write("EHLO a\r\n");
            assertThat(c.readLine()).isEqualTo("250 EHLO a");
            c.write("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
            assertThat(c.readLine()).isEqualTo("250 MAIL FROM:<a@b>");
            assertThat(c.readLine()).isEqualTo("250 RCPT TO:<c@d>");
            assertThat(c.readLine()).isEqualTo("250 DATA");
            c.write("QUIT\r\n");
            assertThat(c.readLine()).isEqualTo("221 bye");
        }
        assertThat(proxy.awaitConnectionsClosed(Duration.ofSeconds(5))).isTrue();
        assertThat(proxy.clientTurns()).isEqualTo(3);
        assertThat(proxy.connections()).isEqualTo(1);
    }

    @Test
    void recordsEveryByteInBothDirections() throws Exception {
        proxy = RecordingProxy.start("127.0.0.1", server.port());
        try (Client c = new Client(proxy.port())) {
            c.readLine();
            c.write("NOOP\r\n");
            c.readLine();
            c.write("QUIT\r\n");
            c.readLine();
        }
        proxy.awaitConnectionsClosed(Duration.ofSeconds(5));
        assertThat(new String(proxy.bytes(Direction.CLIENT_TO_SERVER), StandardCharsets.US_ASCII))
                .isEqualTo("NOOP\r\nQUIT\r\n");
        assertThat(new String(proxy.bytes(Direction.SERVER_TO_CLIENT), StandardCharsets.US_ASCII))
                .isEqualTo("220 hi\r\n250 NOOP\r\n221 bye\r\n");
        assertThat(proxy.transcript()).contains("#0 C: NOOP\\r\\n").contains("#0 S: 220 hi\\r\\n");
    }

    @Test
    void aServerToClientDelayMakesSeparateWritesOfOneBatchOneTurn() throws Exception {
        // Without the delay the server's reply to the first line could reach the client between the two writes.
        proxy = RecordingProxy.start("127.0.0.1", server.port(), Duration.ZERO, Duration.ofMillis(150));
        try (Client c = new Client(proxy.port())) {
            c.readLine();
            long before = System.nanoTime();
            c.write("MAIL FROM:<a@b>\r\n");
            c.write("RCPT TO:<c@d>\r\n");
            assertThat(c.readLine()).isEqualTo("250 MAIL FROM:<a@b>");
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
            assertThat(c.readLine()).isEqualTo("250 RCPT TO:<c@d>");
            c.write("QUIT\r\n");
            c.readLine();
        }
        proxy.awaitConnectionsClosed(Duration.ofSeconds(5));
        assertThat(proxy.clientTurns()).isEqualTo(2);
    }

    @Test
    void aClientToServerDelayHoldsBytesBeforeTheServerSeesThem() throws Exception {
        proxy = RecordingProxy.start("127.0.0.1", server.port(), Duration.ofMillis(120), Duration.ZERO);
        try (Client c = new Client(proxy.port())) {
            c.readLine();
            long before = System.nanoTime();
            c.write("NOOP\r\n");
            assertThat(c.readLine()).isEqualTo("250 NOOP");
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(120));
        }
    }

    @Test
    void turnsAddUpOverConnectionsUntilReset() throws Exception {
        proxy = RecordingProxy.start("127.0.0.1", server.port());
        for (int i = 0; i < 2; i++) {
            try (Client c = new Client(proxy.port())) {
                c.readLine();
                c.write("QUIT\r\n");
                c.readLine();
            }
        }
        proxy.awaitConnectionsClosed(Duration.ofSeconds(5));
        assertThat(proxy.clientTurns()).isEqualTo(2);
        assertThat(proxy.connections()).isEqualTo(2);
        assertThat(proxy.segments()).extracting(RecordingProxy.Segment::connection).containsOnly(0, 1);

        proxy.reset();
        assertThat(proxy.clientTurns()).isZero();
        assertThat(proxy.connections()).isZero();
        assertThat(proxy.segments()).isEmpty();
    }

    @Test
    void theServerClosingReachesTheClient() throws Exception {
        proxy = RecordingProxy.start("127.0.0.1", server.port());
        try (Client c = new Client(proxy.port())) {
            c.readLine();
            c.write("QUIT\r\n");
            assertThat(c.readLine()).isEqualTo("221 bye");
            assertThat(c.readLine()).isNull();
        }
        assertThat(proxy.awaitConnectionsClosed(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void afterCloseThePortRefusesConnections() throws Exception {
        proxy = RecordingProxy.start("127.0.0.1", server.port());
        int port = proxy.port();
        Client open = new Client(port);
        open.readLine();
        proxy.close();
        assertThat(open.readLine()).isNull();
        open.close();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void negativeDelaysAreRefused() {
        assertThatThrownBy(() -> RecordingProxy.start("127.0.0.1", server.port(), Duration.ofMillis(-1),
                Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A line client that writes each call to the socket at once. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(5000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
        }

        void write(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        String readLine() throws IOException {
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Greets with 220, answers each line with "250 line" (QUIT with 221 and a close), on loopback. */
    private static final class LineServer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        LineServer() throws IOException {
            Thread t = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket s = listener.accept();
                        Thread session = new Thread(() -> serve(s));
                        session.setDaemon(true);
                        session.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private static void serve(Socket s) {
            try (s; BufferedReader in = new BufferedReader(
                    new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
                Writer out = new java.io.OutputStreamWriter(s.getOutputStream(), StandardCharsets.US_ASCII);
                out.write("220 hi\r\n");
                out.flush();
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals("QUIT")) {
                        out.write("221 bye\r\n");
                        out.flush();
                        return;
                    }
                    out.write("250 " + line + "\r\n");
                    out.flush();
                }
            } catch (IOException e) {
                // client went away
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
