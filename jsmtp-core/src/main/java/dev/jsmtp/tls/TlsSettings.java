package dev.jsmtp.tls;

import dev.jsmtp.Escaping;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How TLS connections are verified and what the client presents (RFC 8314, RFC 3207, RFC 6125): the trusted
 * certificates (the JDK's trust store by default), an optional name to verify and send as SNI when connecting by
 * address, an optional client certificate. Immutable and thread-safe; the SSL context is built once and shared,
 * so connections to the same server can resume TLS sessions.
 */
public final class TlsSettings {

    private static final TlsSettings DEFAULTS = builder().build();

    private enum Trust { JDK_DEFAULT, STORE, ALL }

    private final Trust trust;
    private final KeyStore trustStore;
    private final String trustSource;
    private final Optional<String> serverName;
    private final PrivateKey clientKey;
    private final List<X509Certificate> clientChain;
    private volatile SSLContext context;
    private volatile X509ExtendedTrustManager verifier;

    private TlsSettings(Builder b) {
        this.trust = b.trust;
        this.trustStore = b.trustStore;
        this.trustSource = b.trustSource;
        this.serverName = Optional.ofNullable(b.serverName);
        this.clientKey = b.clientKey;
        this.clientChain = b.clientChain;
    }

    /** Verify against the JDK's trust store, no server name override, no client certificate. */
    public static TlsSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** False only after {@link Builder#trustAllCertificatesDangerously()}: then neither chain nor name is checked. */
    public boolean verifiesCertificates() {
        return trust != Trust.ALL;
    }

    /** The name to verify the certificate against and send as SNI instead of the host connected to. */
    public Optional<String> serverName() {
        return serverName;
    }

    /** The client certificate chain presented when the server asks for one; empty when none is configured. */
    public List<X509Certificate> clientCertificateChain() {
        return clientChain;
    }

    /** The context for client sockets, built on first use. */
    SSLContext sslContext() throws IOException {
        SSLContext c = context;
        if (c == null) {
            synchronized (this) {
                if (context == null) {
                    context = buildContext();
                }
                c = context;
            }
        }
        return c;
    }

    private SSLContext buildContext() throws IOException {
        try {
            KeyManager[] keyManagers = null;
            if (clientKey != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                char[] none = new char[0];
                keys.setKeyEntry("client", clientKey, none, clientChain.toArray(new X509Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, none);
                keyManagers = kmf.getKeyManagers();
            }
            TrustManager trustManager = trust == Trust.ALL ? new TrustingEverything() : new ChainRecorder(verifier());
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(keyManagers, new TrustManager[] {trustManager}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * The trust manager that checks chains: the configured trust store, or the JDK's. With trust-all settings it
     * is the JDK's, so that a probe can still say whether a chain would verify.
     */
    X509ExtendedTrustManager verifier() throws IOException {
        X509ExtendedTrustManager v = verifier;
        if (v == null) {
            try {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust == Trust.STORE ? trustStore : null);
                for (TrustManager tm : tmf.getTrustManagers()) {
                    if (tm instanceof X509ExtendedTrustManager) {
                        v = (X509ExtendedTrustManager) tm;
                        break;
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot read the trusted certificates: " + e.getMessage(), e);
            }
            if (v == null) {
                throw new IOException("this JDK has no X.509 trust manager");
            }
            verifier = v;
        }
        return v;
    }

    @Override
    public String toString() {
        return "TlsSettings[trust=" + (trust == Trust.ALL ? "ALL (dangerous)" : trust == Trust.STORE ? trustSource
                : "JDK default") + serverName.map(n -> ", serverName=" + n).orElse("")
                + (clientKey == null ? "" : ", clientCertificate=" + clientChain.get(0).getSubjectX500Principal())
                + "]";
    }

    /** Accepts any chain: used only after {@link Builder#trustAllCertificatesDangerously()}. */
    private static final class TrustingEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /**
     * Builds {@link TlsSettings}. The three ways to choose what is trusted ({@link #trustedCertificates},
     * {@link #trustStore}, {@link #trustAllCertificatesDangerously}) exclude one another.
     */
    public static final class Builder {
        private Trust trust = Trust.JDK_DEFAULT;
        private KeyStore trustStore;
        private String trustSource;
        private String serverName;
        private PrivateKey clientKey;
        private List<X509Certificate> clientChain = List.of();

        private Builder() {
        }

        /** Trusts only the CA certificates in this PEM bundle instead of the JDK's trust store (curl's --cacert). */
        public Builder trustedCertificates(Path pemFile) throws IOException {
            List<X509Certificate> certificates = Pem.certificates(pemFile);
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                for (int i = 0; i < certificates.size(); i++) {
                    store.setCertificateEntry("ca-" + i, certificates.get(i));
                }
                setTrust(Trust.STORE, store, pemFile.toString());
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot use the certificates in " + pemFile + ": " + e.getMessage(), e);
            }
            return this;
        }

        /** Trusts only the certificates in this key store instead of the JDK's trust store. */
        public Builder trustStore(KeyStore store) {
            setTrust(Trust.STORE, Objects.requireNonNull(store, "store"), "a key store");
            return this;
        }

        /**
         * Accepts any certificate for any name. Anyone on the path can then read and change the mail and the
         * credentials; use it only against throwaway test servers.
         */
        public Builder trustAllCertificatesDangerously() {
            setTrust(Trust.ALL, null, null);
            return this;
        }

        private void setTrust(Trust kind, KeyStore store, String source) {
            if (trust != Trust.JDK_DEFAULT) {
                throw new IllegalStateException("what to trust was already chosen (" + (trust == Trust.ALL
                        ? "all certificates" : trustSource) + "); choose one of trustedCertificates, trustStore"
                        + " and trustAllCertificatesDangerously");
            }
            trust = kind;
            trustStore = store;
            trustSource = source;
        }

        /** The name to verify the certificate against, and send as SNI, when connecting by IP address. */
        public Builder serverName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || !name.equals(Escaping.escape(name)) || name.indexOf(' ') >= 0) {
                throw new IllegalArgumentException("not a server name: \"" + Escaping.escape(name) + "\"");
            }
            this.serverName = name;
            return this;
        }

        /**
         * Presents a client certificate: a PEM certificate chain (leaf first) and its PEM private key, PKCS#8
         * ({@code BEGIN PRIVATE KEY}; RSA, EC or EdDSA) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}).
         */
        public Builder clientCertificate(Path certificatePem, Path privateKeyPem) throws IOException {
            List<X509Certificate> chain = Pem.certificates(certificatePem);
            PrivateKey key = Pem.privateKey(privateKeyPem);
            if (!belongTogether(key, chain.get(0))) {
                throw new IOException("the private key in " + privateKeyPem + " does not belong to the certificate"
                        + " in " + certificatePem + " (" + chain.get(0).getSubjectX500Principal() + ")");
            }
            this.clientKey = key;
            this.clientChain = List.copyOf(chain);
            return this;
        }

        /** Signs a probe with the key and verifies it with the certificate's public key. */
        private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
            String algorithm;
            switch (key.getAlgorithm()) {
                case "RSA":
                    algorithm = "SHA256withRSA";
                    break;
                case "EC":
                    algorithm = "SHA256withECDSA";
                    break;
                default:
                    algorithm = key.getAlgorithm();
            }
            try {
                byte[] probe = "jsmtp client certificate check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                Signature signer = Signature.getInstance(algorithm);
                signer.initSign(key);
                signer.update(probe);
                byte[] signature = signer.sign();
                Signature verifier = Signature.getInstance(algorithm);
                verifier.initVerify(certificate.getPublicKey());
                verifier.update(probe);
                return verifier.verify(signature);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }

        public TlsSettings build() {
            return new TlsSettings(this);
        }
    }
}
