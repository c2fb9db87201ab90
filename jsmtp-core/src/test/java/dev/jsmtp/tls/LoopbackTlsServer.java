package dev.jsmtp.tls;

import dev.jsmtp.testing.TestCertificates;
import dev.jsmtp.testing.TestCertificates.Identity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A one-connection TLS server on loopback presenting a test identity. It records whether its handshake succeeded,
 * the SNI and client certificate it saw, and every application byte it received before the client closed.
 */
final class LoopbackTlsServer implements AutoCloseable {

    /** What the server saw of its one connection. */
    record Seen(boolean handshakeCompleted, List<SNIServerName> serverNames, Certificate[] clientChain,
                byte[] applicationBytes, IOException failure) {
        String text() {
            return new String(applicationBytes, StandardCharsets.UTF_8);
        }
    }

    private final SSLServerSocket listener;
    private final CompletableFuture<Seen> seen = new CompletableFuture<>();

    LoopbackTlsServer(Identity identity, InetAddress address, boolean needClientAuth, String... protocols)
            throws IOException {
        listener = (SSLServerSocket) TestCertificates.serverSocketFactory(identity).createServerSocket(0, 1, address);
        listener.setNeedClientAuth(needClientAuth);
        if (protocols.length > 0) {
            listener.setEnabledProtocols(protocols);
        }
        Thread thread = new Thread(this::serveOne, "loopback-tls-server");
        thread.setDaemon(true);
        thread.start();
    }

    LoopbackTlsServer(Identity identity) throws IOException {
        this(identity, InetAddress.getLoopbackAddress(), false);
    }

    int port() {
        return listener.getLocalPort();
    }

    Seen seen() throws Exception {
        return seen.get(20, TimeUnit.SECONDS);
    }

    private void serveOne() {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
            socket.setSoTimeout(10_000);
            boolean completed = false;
            IOException failure = null;
            List<SNIServerName> names = List.of();
            Certificate[] clientChain = null;
            try {
                socket.startHandshake();
                completed = true;
                names = ((ExtendedSSLSession) socket.getSession()).getRequestedServerNames();
                try {
                    clientChain = socket.getSession().getPeerCertificates();
                } catch (SSLPeerUnverifiedException e) {
                    clientChain = null;
                }
                socket.getOutputStream().write("220 hello over TLS\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            } catch (IOException e) {
                failure = e;
            }
            // Whatever happened, keep reading: any application byte the client sends shows up here.
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                failure = failure == null ? e : failure;
            } catch (IOException e) {
                // The failed or closed session ends reading.
            }
            seen.complete(new Seen(completed, names, clientChain, received.toByteArray(), failure));
        } catch (IOException | RuntimeException e) {
            seen.completeExceptionally(e);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
