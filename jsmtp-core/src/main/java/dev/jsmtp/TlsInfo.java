package dev.jsmtp;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The TLS session a connection runs over (RFC 8446 / RFC 5246): protocol, cipher suite, the server's certificate
 * chain and the name it was verified against (empty when verification was disabled dangerously).
 */
public record TlsInfo(String protocol, String cipherSuite, List<X509Certificate> peerCertificates,
                      String verifiedName) {

    public TlsInfo {
        peerCertificates = List.copyOf(peerCertificates);
    }
}
