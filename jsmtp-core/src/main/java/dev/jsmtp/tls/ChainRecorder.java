package dev.jsmtp.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Delegates every check to the verifying trust manager (RFC 5280 path validation, RFC 6125 names) and remembers
 * the chain each socket's server presented, so that a refused handshake can say which certificate was refused.
 */
final class ChainRecorder extends X509ExtendedTrustManager {

    private static final Map<Socket, X509Certificate[]> CHAINS = Collections.synchronizedMap(new WeakHashMap<>());

    private final X509ExtendedTrustManager delegate;

    ChainRecorder(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    /** The chain the server presented on {@code socket}, forgotten once taken. */
    static Optional<X509Certificate[]> take(Socket socket) {
        return Optional.ofNullable(CHAINS.remove(socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        if (socket != null && chain != null) {
            CHAINS.put(socket, chain.clone());
        }
        delegate.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
