package dev.jsmtp.hostile;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A loopback SMTP peer that misbehaves on purpose: each accepted connection is handed to a {@link Handler} that
 * drives the raw socket through a {@link Peer} (exact segments, floods, dripping, never reading, TLS when it
 * chooses), while every byte the client sent is recorded and connections are counted.
 *
 * <p>Handler failures are kept, not thrown: a hostile peer often ends because the client rightly hung up. Tests
 * that need the handler to have finished its script call {@link #awaitHandlers(Duration)} and
 * {@link #handlerFailures()}.
 */
final class AdversarialServer implements AutoCloseable {

    /** Plays one connection. */
    @FunctionalInterface
    interface Handler {
        void serve(Peer peer) throws Exception;
    }

    private final ServerSocket listener;
    private final Handler handler;
    private final SSLContext implicitTls;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Peer> peers = Collections.synchronizedList(new ArrayList<>());
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread acceptor;

    private AdversarialServer(Handler handler, SSLContext implicitTls, int receiveBuffer) throws IOException {
        this.handler = handler;
        this.implicitTls = implicitTls;
        this.listener = new ServerSocket();
        if (receiveBuffer > 0) {
            // Set before bind so the advertised window stays small (zero-window scenarios).
            listener.setReceiveBufferSize(receiveBuffer);
        }
        listener.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        this.acceptor = new Thread(this::acceptLoop, "adversarial-server-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A plaintext server. */
    static AdversarialServer start(Handler handler) throws IOException {
        return new AdversarialServer(handler, null, 0);
    }

    /** A plaintext server whose sockets advertise a receive window of about {@code bytes}. */
    static AdversarialServer withReceiveBuffer(int bytes, Handler handler) throws IOException {
        return new AdversarialServer(handler, null, bytes);
    }

    /** An implicit-TLS server (RFC 8314): each connection is handshaken with {@code tls} before the handler runs. */
    static AdversarialServer implicitTls(SSLContext tls, Handler handler) throws IOException {
        return new AdversarialServer(handler, tls, 0);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** TCP connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** The peers served so far, in order of connection. */
    List<Peer> peers() {
        synchronized (peers) {
            return List.copyOf(peers);
        }
    }

    /** The first connection's peer; fails when none came. */
    Peer peer() {
        List<Peer> all = peers();
        if (all.isEmpty()) {
            throw new AssertionError("the client never connected");
        }
        return all.get(0);
    }

    /** Everything the client sent on the first connection (decrypted after TLS), or nothing when it never came. */
    byte[] received() {
        List<Peer> all = peers();
        return all.isEmpty() ? new byte[0] : all.get(0).received();
    }

    /** The client's bytes on the first connection as ISO-8859-1 text, one char per octet. */
    String receivedText() {
        return new String(received(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Waits for every handler started so far to return. */
    void awaitHandlers(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : List.copyOf(threads)) {
            long left = deadline - System.nanoTime();
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            if (t.isAlive()) {
                throw new AssertionError("server handler still running after " + timeout);
            }
        }
    }

    /** Exceptions the handlers ended with (a client hanging up shows here as an I/O error). */
    List<Throwable> handlerFailures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** True once {@link #close()} ran: handlers that stall wait for it. */
    boolean awaitClosed(long millis) throws InterruptedException {
        return closed.await(millis, TimeUnit.MILLISECONDS);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            Thread t = new Thread(() -> serve(socket), "adversarial-handler-" + connections.get());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void serve(Socket socket) {
        Peer peer = null;
        try {
            socket.setTcpNoDelay(true); // every write leaves as its own segment
            socket.setSoTimeout(15_000);
            Socket s = socket;
            if (implicitTls != null) {
                SSLSocket ssl = (SSLSocket) implicitTls.getSocketFactory().createSocket(socket, null,
                        socket.getPort(), true);
                ssl.setUseClientMode(false);
                peer = new Peer(this, ssl, socket);
                peers.add(peer);
                ssl.startHandshake();
            } else {
                peer = new Peer(this, s, socket);
                peers.add(peer);
            }
            handler.serve(peer);
        } catch (Throwable t) {
            if (peer != null) {
                peer.handshakeOrHandlerFailed(t);
            }
            failures.add(t);
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Teardown.
            }
        }
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            listener.close();
        } catch (IOException ignored) {
            // Teardown.
        }
        for (Peer p : peers()) {
            p.closeQuietly();
        }
        for (Thread t : List.copyOf(threads)) {
            t.interrupt();
        }
    }
}
