package dev.jsmtp.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of an SMTP server (RFC 5321) that records both directions and counts the client's
 * turns, the round trips that PIPELINING (RFC 2920) and CHUNKING (RFC 3030) exist to save.
 *
 * <p>A client turn is a burst of client bytes that arrives after the proxy has passed server bytes to the client:
 * the client could only be answering what it had read. Connecting counts as having read, so the first burst of
 * every connection is a turn. The count is exact only if the client writes each batch before the server's reply
 * to its first command reaches it; a small server-to-client delay makes that certain, and also emulates a WAN.
 *
 * <p>Lifecycle: {@link #start} listens on 127.0.0.1 at an ephemeral port and accepts until {@link #close()}, which
 * also ends every connection. {@link #reset()} forgets what was recorded, so one proxy can serve several tests.
 * Thread-safe.
 */
public final class RecordingProxy implements AutoCloseable {

    /** Which way bytes went. */
    public enum Direction { CLIENT_TO_SERVER, SERVER_TO_CLIENT }

    /** Bytes read in one go from one side of one connection (connections are numbered from 0). */
    public record Segment(int connection, Direction direction, Instant time, byte[] bytes) {
        public Segment {
            Objects.requireNonNull(direction);
            Objects.requireNonNull(time);
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    private static final int BUFFER = 64 * 1024;
    private static final byte[] END = new byte[0];

    private final InetSocketAddress target;
    private final Duration clientToServerDelay;
    private final Duration serverToClientDelay;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Segment> segments = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger clientTurns = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    private RecordingProxy(InetSocketAddress target, Duration clientToServerDelay, Duration serverToClientDelay)
            throws IOException {
        this.target = target;
        this.clientToServerDelay = checkDelay(clientToServerDelay);
        this.serverToClientDelay = checkDelay(serverToClientDelay);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "RecordingProxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a proxy to {@code targetHost:targetPort} that forwards without delay. */
    public static RecordingProxy start(String targetHost, int targetPort) throws IOException {
        return start(targetHost, targetPort, Duration.ZERO, Duration.ZERO);
    }

    /**
     * Starts a proxy that holds every segment for the given one-way delay before passing it on, in order; bytes
     * keep flowing meanwhile, so the delay is latency, not a bandwidth limit.
     */
    public static RecordingProxy start(String targetHost, int targetPort, Duration clientToServerDelay,
                                       Duration serverToClientDelay) throws IOException {
        return new RecordingProxy(new InetSocketAddress(targetHost, targetPort), clientToServerDelay,
                serverToClientDelay);
    }

    /** The loopback port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Client turns since start or the last {@link #reset()}, over all connections. */
    public int clientTurns() {
        return clientTurns.get();
    }

    /** Connections accepted since start or the last {@link #reset()}. */
    public int connections() {
        return connections.get();
    }

    /** Everything recorded since start or the last {@link #reset()}, in the order it was read. */
    public List<Segment> segments() {
        synchronized (segments) {
            return List.copyOf(segments);
        }
    }

    /** All bytes that went {@code direction}, over all connections, concatenated in order. */
    public byte[] bytes(Direction direction) {
        var out = new ByteArrayOutputStream();
        for (Segment s : segments()) {
            if (s.direction() == direction) {
                out.writeBytes(s.bytes);
            }
        }
        return out.toByteArray();
    }

    /**
     * The conversation for a failure message: one {@code C:}/{@code S:} line per segment, prefixed with its
     * connection, CR and LF shown as {@code \r\n}, non-printable bytes as {@code \xNN}, long segments cut.
     */
    public String transcript() {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments()) {
            sb.append('#').append(s.connection()).append(s.direction() == Direction.CLIENT_TO_SERVER ? " C: " : " S: ");
            int shown = Math.min(s.bytes.length, 400);
            for (int i = 0; i < shown; i++) {
                int b = s.bytes[i] & 0xff;
                if (b == '\r') {
                    sb.append("\\r");
                } else if (b == '\n') {
                    sb.append("\\n");
                } else if (b == '\\') {
                    sb.append("\\\\");
                } else if (b >= 0x20 && b < 0x7f) {
                    sb.append((char) b);
                } else {
                    sb.append(String.format("\\x%02x", b));
                }
            }
            if (shown < s.bytes.length) {
                sb.append("... (").append(s.bytes.length).append(" bytes)");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Waits until every accepted connection has ended; false if some are still open after {@code timeout}. */
    public boolean awaitConnectionsClosed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (open.get() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Forgets the recorded segments, turns and connection count; open connections go on being recorded. */
    public void reset() {
        segments.clear();
        clientTurns.set(0);
        connections.set(0);
    }

    /** Stops accepting, ends every connection and waits for the proxy's threads. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        sockets.forEach(RecordingProxy::closeQuietly);
        try {
            acceptor.join(2000);
            for (Thread t : threads) {
                t.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(client);
            open.incrementAndGet();
            int id = connections.getAndIncrement();
            Thread connector = new Thread(() -> connect(id, client), "RecordingProxy-conn-" + id);
            connector.setDaemon(true);
            threads.add(connector);
            connector.start();
        }
    }

    private void connect(int id, Socket client) {
        Socket server = new Socket();
        sockets.add(server);
        try {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.connect(target, 5000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(server);
            open.decrementAndGet();
            return;
        }
        // Set when server bytes reach the client; the next client bytes then start a new turn.
        var clientHasRead = new AtomicBoolean(true);
        AtomicInteger directionsLeft = new AtomicInteger(2);
        Runnable ended = () -> {
            if (directionsLeft.decrementAndGet() == 0) {
                closeQuietly(client);
                closeQuietly(server);
                open.decrementAndGet();
            }
        };
        pump(id, Direction.CLIENT_TO_SERVER, client, server, clientToServerDelay, clientHasRead, ended);
        pump(id, Direction.SERVER_TO_CLIENT, server, client, serverToClientDelay, clientHasRead, ended);
    }

    private void pump(int id, Direction direction, Socket from, Socket to, Duration delay,
                      AtomicBoolean clientHasRead, Runnable ended) {
        BlockingQueue<Timed> queue = new LinkedBlockingQueue<>();
        Thread reader = daemon("RecordingProxy-" + id + "-" + direction + "-read", () -> {
            byte[] buffer = new byte[BUFFER];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    byte[] chunk = Arrays.copyOf(buffer, n);
                    if (direction == Direction.CLIENT_TO_SERVER && clientHasRead.getAndSet(false)) {
                        clientTurns.incrementAndGet();
                    }
                    segments.add(new Segment(id, direction, Instant.now(), chunk));
                    queue.add(new Timed(System.nanoTime() + delay.toNanos(), chunk));
                }
            } catch (IOException e) {
                // reset or closed: treated as the end of this direction
            }
            queue.add(new Timed(System.nanoTime() + delay.toNanos(), END));
        });
        Thread writer = daemon("RecordingProxy-" + id + "-" + direction + "-write", () -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Timed t = queue.take();
                    long wait = t.due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (t.bytes == END) {
                        break;
                    }
                    if (direction == Direction.SERVER_TO_CLIENT) {
                        // Before the write: the client may answer before this thread runs again.
                        clientHasRead.set(true);
                    }
                    out.write(t.bytes);
                    out.flush();
                }
                to.shutdownOutput();
            } catch (SocketException e) {
                // The receiving side is gone: the connection is broken both ways.
                closeQuietly(from);
                closeQuietly(to);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ended.run();
            }
        });
        reader.start();
        writer.start();
    }

    private Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        threads.add(t);
        return t;
    }

    private record Timed(long due, byte[] bytes) {
    }

    private static Duration checkDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be zero or positive: " + delay);
        }
        return delay;
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
