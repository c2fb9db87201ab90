package dev.jsmtp.session;

import dev.jsmtp.Credentials;
import dev.jsmtp.Timeouts;
import dev.jsmtp.TlsMode;
import dev.jsmtp.TranscriptListener;
import dev.jsmtp.tls.TlsSettings;

import java.util.Objects;
import java.util.Optional;

/**
 * Everything one SMTP session needs to know before it connects: the server, the TLS and authentication policy,
 * timeouts and which extensions to use. Immutable; built by {@code SmtpClient.Builder}.
 */
public record SessionConfig(String host, int port, TlsMode tlsMode, TlsSettings tls,
                            Optional<Credentials> credentials, Optional<String> authMechanism,
                            boolean allowCleartextAuthentication, boolean alwaysSendInitialResponse,
                            Optional<String> clientName, Timeouts timeouts, TranscriptListener transcript,
                            boolean transcribeContent, boolean allOrNothing, boolean pipelining, boolean chunking) {

    public SessionConfig {
        Objects.requireNonNull(host);
        Objects.requireNonNull(tlsMode);
        Objects.requireNonNull(tls);
        Objects.requireNonNull(timeouts);
        Objects.requireNonNull(transcript);
        credentials = credentials == null ? Optional.empty() : credentials;
        authMechanism = authMechanism == null ? Optional.empty() : authMechanism;
        clientName = clientName == null ? Optional.empty() : clientName;
    }

    /** {@code host:port}, as error messages name the server. */
    public String server() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** A copy with other timeouts. */
    public SessionConfig withTimeouts(Timeouts newTimeouts) {
        return new SessionConfig(host, port, tlsMode, tls, credentials, authMechanism, allowCleartextAuthentication,
                alwaysSendInitialResponse, clientName, newTimeouts, transcript, transcribeContent, allOrNothing,
                pipelining, chunking);
    }
}
