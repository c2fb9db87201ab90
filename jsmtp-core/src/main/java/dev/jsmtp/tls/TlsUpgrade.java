package dev.jsmtp.tls;

import dev.jsmtp.Escaping;
import dev.jsmtp.SmtpConnectionException;
import dev.jsmtp.SmtpSecurityException;
import dev.jsmtp.SmtpTimeoutException;
import dev.jsmtp.TlsInfo;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * Layers TLS over a connected socket: right after connecting for implicit TLS (RFC 8314 §3.3), or after the
 * server's 220 to STARTTLS (RFC 3207 §4). Only TLS 1.3 and 1.2 are enabled; the certificate chain and the server's
 * name (RFC 6125, checked by the JDK's "HTTPS" endpoint identification) are verified unless the settings say
 * otherwise; the handshake has a deadline. A failed handshake closes the socket, so no application byte can
 * follow it.
 */
public final class TlsUpgrade {

    /** Set explicitly, never left to the JDK's defaults, which differ between versions and vendors. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private TlsUpgrade() {
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "jsmtp-tls-handshake-deadline");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /**
     * Performs the client handshake over {@code connected} and returns the TLS socket to talk through.
     *
     * @param host    the host name or address the caller connected to; verified unless a server name is set
     * @param timeout the deadline for the whole handshake
     * @throws SmtpSecurityException   the handshake failed: untrusted, expired or mismatched certificate, no
     *                                 common protocol; the message says which
     * @throws SmtpTimeoutException    the handshake did not finish in time
     * @throws SmtpConnectionException the connection broke during the handshake
     */
    public static SSLSocket handshake(Socket connected, String host, int port, TlsSettings settings,
                                      Duration timeout) throws IOException {
        String server = host + ":" + port;
        String name = nameToVerify(host, settings);
        AtomicBoolean expired = new AtomicBoolean();
        // SO_TIMEOUT bounds each read; the watchdog bounds the sum, so a server dripping bytes cannot stretch it.
        ScheduledFuture<?> deadline = WATCHDOG.schedule(() -> {
            expired.set(true);
            closeQuietly(connected);
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        SSLSocket tls = null;
        try {
            int previousTimeout = connected.getSoTimeout();
            tls = (SSLSocket) settings.sslContext().getSocketFactory().createSocket(connected, name, port, true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setProtocols(PROTOCOLS.clone());
            parameters.setServerNames(serverNameIndication(name));
            parameters.setEndpointIdentificationAlgorithm(settings.verifiesCertificates() ? "HTTPS" : null);
            tls.setSSLParameters(parameters);
            tls.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            tls.startHandshake();
            deadline.cancel(false);
            if (expired.get()) {
                throw new SocketTimeoutException("deadline");
            }
            tls.setSoTimeout(previousTimeout);
            ChainRecorder.take(tls);
            return tls;
        } catch (IOException | RuntimeException e) {
            deadline.cancel(false);
            Optional<X509Certificate[]> chain = tls == null ? Optional.empty() : ChainRecorder.take(tls);
            closeQuietly(tls);
            closeQuietly(connected);
            if (expired.get() || e instanceof SocketTimeoutException) {
                throw new SmtpTimeoutException("TLS handshake", timeout, false, server);
            }
            if (e instanceof SSLException) {
                throw new SmtpSecurityException("TLS handshake failed: " + reason(e, chain, name), server, e);
            }
            if (e instanceof IOException) {
                throw new SmtpConnectionException("connection lost during the TLS handshake: "
                        + Escaping.escape(String.valueOf(e.getMessage())), server, e, false);
            }
            throw new SmtpSecurityException("TLS handshake failed: " + Escaping.escape(e.toString()), server, e);
        }
    }

    /** RFC 6066 §3: SNI carries host names only, never address literals, and only names in its strict syntax. */
    private static List<SNIServerName> serverNameIndication(String name) {
        if (HostnameMatch.isIpLiteral(name)) {
            return List.of();
        }
        try {
            return List.of(new SNIHostName(name));
        } catch (IllegalArgumentException e) {
            // Such as an underscore in an internal name: no SNI, but the name is still verified.
            return List.of();
        }
    }

    /** The name a handshake with these settings verifies: the configured server name, or else the host. */
    public static String nameToVerify(String host, TlsSettings settings) {
        return HostnameMatch.normalise(settings.serverName().orElse(host));
    }

    /** What the TLS session is: protocol, cipher suite, the server's chain, and the name verified (may be empty). */
    public static TlsInfo info(SSLSocket socket, String verifiedName) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : socket.getSession().getPeerCertificates()) {
                if (c instanceof X509Certificate) {
                    chain.add((X509Certificate) c);
                }
            }
        } catch (SSLPeerUnverifiedException e) {
            // An anonymous session has no chain to show.
        }
        return new TlsInfo(socket.getSession().getProtocol(), socket.getSession().getCipherSuite(), chain,
                verifiedName);
    }

    /**
     * Judges a chain as a verifying connection would, against the settings' trusted certificates (the JDK's when
     * the settings trust everything), for use after a handshake that accepted any certificate.
     */
    public static CertificateCheck check(List<X509Certificate> chain, String name, TlsSettings settings)
            throws IOException {
        if (chain.isEmpty()) {
            return new CertificateCheck(false, false, false, List.of("the server presented no certificate"));
        }
        List<String> problems = new ArrayList<>();
        boolean currentlyValid = true;
        for (X509Certificate certificate : chain) {
            try {
                certificate.checkValidity();
            } catch (CertificateExpiredException e) {
                currentlyValid = false;
                problems.add("certificate expired on " + certificate.getNotAfter().toInstant() + ": "
                        + certificate.getSubjectX500Principal().getName());
            } catch (CertificateNotYetValidException e) {
                currentlyValid = false;
                problems.add("certificate not valid before " + certificate.getNotBefore().toInstant() + ": "
                        + certificate.getSubjectX500Principal().getName());
            }
        }
        boolean trusted = true;
        X509Certificate[] array = chain.toArray(new X509Certificate[0]);
        try {
            settings.verifier().checkServerTrusted(array, authType(array[0]));
        } catch (CertificateException e) {
            trusted = false;
            if (currentlyValid || !isExpiry(e)) {
                problems.add(reason(e, Optional.of(array), name));
            }
        }
        boolean nameMatches = HostnameMatch.matches(chain.get(0), name);
        if (!nameMatches) {
            problems.add(mismatch(chain.get(0), HostnameMatch.normalise(name)));
        }
        return new CertificateCheck(trusted, nameMatches, currentlyValid, problems);
    }

    /** The key exchange the JDK's TLS 1.2 server check expects for this key (TLS 1.3 would say UNKNOWN). */
    private static String authType(X509Certificate leaf) {
        return leaf.getPublicKey().getAlgorithm().equals("EC") ? "ECDHE_ECDSA" : "ECDHE_RSA";
    }

    /** Why a handshake or a check failed, in words: the cause chain's most telling exception decides. */
    static String reason(Throwable failure, Optional<X509Certificate[]> chain, String name) {
        X509Certificate leaf = chain.filter(c -> c.length > 0).map(c -> c[0]).orElse(null);
        if (isExpiry(failure)) {
            return "certificate expired" + (leaf == null ? "" : " (not valid after " + leaf.getNotAfter().toInstant()
                    + ": " + leaf.getSubjectX500Principal().getName() + ")");
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException && String.valueOf(t.getMessage()).contains("Unsupported or unrecognized")) {
                return "the server did not answer in TLS (a plain-text port? port 587 and 25 use STARTTLS)";
            }
            if (t instanceof CertificateNotYetValidException) {
                return "certificate not yet valid";
            }
            if (t instanceof CertificateException && t.getMessage() != null
                    && (t.getMessage().startsWith("No subject alternative") || t.getMessage().startsWith("No name"))) {
                return leaf == null ? "host name mismatch: " + Escaping.escape(t.getMessage())
                        : mismatch(leaf, name);
            }
            if (t instanceof CertPathBuilderException) {
                boolean selfSigned = chain.map(c -> c.length == 1
                        && c[0].getSubjectX500Principal().equals(c[0].getIssuerX500Principal())).orElse(false);
                return (selfSigned ? "self-signed certificate not trusted" : "certificate not trusted")
                        + " (PKIX path building failed)" + (leaf == null ? ""
                        : ": " + leaf.getSubjectX500Principal().getName() + " issued by "
                        + leaf.getIssuerX500Principal().getName());
            }
            if (t instanceof CertPathValidatorException) {
                return "certificate not trusted (PKIX path validation failed: " + Escaping.escape(
                        String.valueOf(t.getMessage())) + ")";
            }
        }
        return Escaping.escape(String.valueOf(failure.getMessage()));
    }

    private static String mismatch(X509Certificate leaf, String name) {
        return "host name mismatch: the certificate is for " + HostnameMatch.identities(leaf) + ", not "
                + Escaping.escape(name);
    }

    private static boolean isExpiry(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return true;
            }
            if (t instanceof CertPathValidatorException && ((CertPathValidatorException) t).getReason()
                    == CertPathValidatorException.BasicReason.EXPIRED) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Closing after a failure: the failure is what matters.
        }
    }
}
