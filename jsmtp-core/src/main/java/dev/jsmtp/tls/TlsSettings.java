package dev.jsmtp.tls;

import java.io.IOException;
import java.security.KeyStore;
import java.util.Optional;

/**
 * How TLS connections are verified and what the client presents (RFC 8314, RFC 3207, RFC 6125): the trusted
 * certificates, an optional name to verify when connecting by address, an optional client certificate.
 * PLACEHOLDER: the full implementation lands with the tls package.
 */
public final class TlsSettings {

    private final Optional<String> serverName;

    private TlsSettings(Builder b) {
        this.serverName = Optional.ofNullable(b.serverName);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<String> serverName() {
        return serverName;
    }

    /** Builds {@link TlsSettings}. */
    public static final class Builder {
        private String serverName;

        public Builder trustedCertificates(java.nio.file.Path pemFile) throws IOException {
            throw new UnsupportedOperationException("not yet");
        }

        public Builder trustStore(KeyStore store) {
            throw new UnsupportedOperationException("not yet");
        }

        public Builder trustAllCertificatesDangerously() {
            throw new UnsupportedOperationException("not yet");
        }

        public Builder serverName(String name) {
            this.serverName = name;
            return this;
        }

        public Builder clientCertificate(java.nio.file.Path certificatePem, java.nio.file.Path keyPem)
                throws IOException {
            throw new UnsupportedOperationException("not yet");
        }

        public TlsSettings build() {
            return new TlsSettings(this);
        }
    }
}
