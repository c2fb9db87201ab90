package dev.jsmtp;

import dev.jsmtp.auth.SaslMechanisms;
import dev.jsmtp.message.MailMessage;
import dev.jsmtp.session.Session;
import dev.jsmtp.session.SessionConfig;
import dev.jsmtp.tls.TlsSettings;
import dev.jsmtp.transport.PooledTransport;
import dev.jsmtp.transport.Ticker;

import java.io.IOException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Sends mail to one SMTP server (RFC 5321) with the TLS, authentication and pipelining settings chosen when it
 * was built. Secure by default: certificates and host names are verified, STARTTLS is required unless asked
 * otherwise, and credentials are never sent over an unencrypted connection unless explicitly allowed.
 *
 * <p>Thread-safe: sessions are pooled and reused (at most {@code maxConnections}, each for at most
 * {@code maxMessagesPerConnection} messages, closed after {@code idleTimeout} idle), one transaction at a time on
 * each; {@link #sendAsync} and {@link #sendAll} spread messages over the pool. {@link #close()} sends QUIT on the
 * idle sessions.
 *
 * <pre>{@code
 * SmtpClient client = SmtpClient.builder("smtp.example.org")
 *         .tlsMode(TlsMode.IMPLICIT)
 *         .credentials(Credentials.password("me@example.org", appPassword))
 *         .build();
 * SendResult result = client.send(Envelope.of("me@example.org", "you@example.net"), MessageContent.of(bytes));
 * }</pre>
 */
public final class SmtpClient implements AutoCloseable {

    private final SessionConfig config;
    private final PooledTransport.Settings settings;
    private final Ticker ticker;
    // Made at the first pooled send: a client used only through connect() (the command line sends one message
    // that way) then starts no sender threads and no idle reaper.
    private volatile PooledTransport transport;
    private boolean closed;

    private SmtpClient(SessionConfig config, PooledTransport.Settings settings, Ticker ticker) {
        this.config = config;
        this.settings = settings;
        this.ticker = ticker;
    }

    /** A builder for a client of the server at {@code host}. */
    public static Builder builder(String host) {
        return new Builder(host);
    }

    /** The settings this client connects with (host, port, TLS mode …). */
    public SessionConfig config() {
        return config;
    }

    /**
     * Sends one message on a pooled connection, retrying as the {@link RetryPolicy} allows. Recipients refused
     * individually are in the result; an exception means nothing was delivered (or, when all-or-nothing was
     * chosen, that any recipient was refused). Interrupting the calling thread cancels the send, closes its
     * connection and throws {@link java.io.InterruptedIOException}.
     */
    public SendResult send(Envelope envelope, MessageContent content) throws IOException {
        return transport().send(new OutgoingMessage(envelope, content));
    }

    /** Sends a composed message; the envelope comes from its From/Sender and To, Cc and Bcc. */
    public SendResult send(MailMessage message) throws IOException {
        return send(message.envelope(), message.content());
    }

    /**
     * Queues one message for a pooled connection and returns at once. Cancelling the future closes the
     * connection the message travels on; {@link SendFuture#outcome()} gives the ending as a {@link SendOutcome}.
     */
    public SendFuture sendAsync(Envelope envelope, MessageContent content) {
        return transport().sendAsync(new OutgoingMessage(envelope, content));
    }

    /**
     * Sends every message from {@code messages} over the pool and tells {@code outcomes} (one call at a time)
     * how each ended. Only a bounded window of messages is taken from the iterator ahead of its outcome, so a
     * job of millions of messages holds only a few in memory. Interrupting the caller cancels those in flight.
     */
    public BulkResult sendAll(Iterator<? extends OutgoingMessage> messages, Consumer<? super SendOutcome> outcomes)
            throws InterruptedException {
        return transport().sendAll(messages, outcomes);
    }

    /** Opens a session of its own (not pooled) and runs its opening up to {@code stage}, for step-by-step use. */
    public SmtpConnection connect(SmtpConnection.Stage stage) throws IOException {
        Session session = Session.open(config);
        try {
            session.advanceTo(stage);
            return session;
        } catch (IOException | RuntimeException e) {
            // QUIT when the session is still sound (a refused AUTH), else just close.
            session.close();
            throw e;
        }
    }

    /** The pool and sender machinery, for the CLI's statistics and for tests. */
    PooledTransport transport() {
        PooledTransport t = transport;
        if (t != null) {
            return t;
        }
        synchronized (this) {
            if (transport == null) {
                t = new PooledTransport(config, settings, ticker, () -> ThreadLocalRandom.current().nextDouble());
                if (closed) {
                    t.close(); // so that a send after close() fails as it always has
                }
                transport = t;
            }
            return transport;
        }
    }

    /** Sends QUIT on every idle pooled connection, waiting at most the QUIT timeout, and fails queued sends. */
    @Override
    public void close() {
        PooledTransport t = markClosed();
        if (t != null) {
            t.close();
        }
    }

    /** As {@link #close()}, waiting at most {@code deadline} for the servers' replies to QUIT. */
    public void close(Duration deadline) {
        PooledTransport t = markClosed();
        if (t != null) {
            t.close(deadline);
        }
    }

    private synchronized PooledTransport markClosed() {
        closed = true;
        return transport;
    }

    /** Configures an {@link SmtpClient}. */
    public static final class Builder {
        private final String host;
        private int port = -1;
        private TlsMode tlsMode = TlsMode.IMPLICIT;
        private final TlsSettings.Builder tls = TlsSettings.builder();
        private Credentials credentials;
        private String authMechanism;
        private boolean allowCleartextAuthentication;
        private boolean alwaysSendInitialResponse;
        private String clientName;
        private Timeouts timeouts = Timeouts.DEFAULTS;
        private TranscriptListener transcript = TranscriptListener.NONE;
        private boolean transcribeContent;
        private boolean allOrNothing;
        private boolean pipelining = true;
        private boolean chunking = true;
        private int maxConnections = 4;
        private int maxMessagesPerConnection = 100;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private int ratePerMinute;
        private RetryPolicy retryPolicy = RetryPolicy.NONE;
        private int pipelinedWindow = 1;
        private Ticker ticker = Ticker.SYSTEM;

        private Builder(String host) {
            this.host = Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("empty host name");
            }
        }

        /** The TCP port; defaults to the TLS mode's usual port (465, 587 or 25). */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** How the connection is encrypted; default {@link TlsMode#IMPLICIT}. */
        public Builder tlsMode(TlsMode mode) {
            this.tlsMode = Objects.requireNonNull(mode);
            return this;
        }

        /** Trusts only the CA certificates in this PEM file instead of the JDK's trust store. */
        public Builder trustedCertificates(java.nio.file.Path pemFile) throws IOException {
            tls.trustedCertificates(pemFile);
            return this;
        }

        /** Trusts only the certificates in this key store instead of the JDK's trust store. */
        public Builder trustStore(KeyStore trustStore) {
            tls.trustStore(trustStore);
            return this;
        }

        /**
         * Accepts any certificate and any host name. Anyone on the path can then read and change the mail and the
         * credentials; use it only against throwaway test servers.
         */
        public Builder trustAllCertificatesDangerously() {
            tls.trustAllCertificatesDangerously();
            return this;
        }

        /** The name to verify the certificate against (and send as SNI) when connecting by address. */
        public Builder tlsServerName(String name) {
            tls.serverName(name);
            return this;
        }

        /** Presents a client certificate: a PEM certificate chain and its PKCS#8 PEM private key. */
        public Builder clientCertificate(java.nio.file.Path certificatePem, java.nio.file.Path privateKeyPem)
                throws IOException {
            tls.clientCertificate(certificatePem, privateKeyPem);
            return this;
        }

        /** Authenticates with these credentials after TLS. */
        public Builder credentials(Credentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Uses this SASL mechanism instead of choosing one from the credentials and the server's offer. */
        public Builder authMechanism(String mechanism) {
            // RFC 4422 §3.1: upper-case letters, digits, hyphen and underscore, at most 20 characters.
            if (mechanism != null && !mechanism.matches("[A-Za-z0-9_-]{1,20}")) {
                throw new IllegalArgumentException("invalid SASL mechanism name: " + Escaping.escape(mechanism));
            }
            // Refused here, before any connection, rather than after EHLO.
            if (mechanism != null && SaslMechanisms.SUPPORTED.stream().noneMatch(mechanism::equalsIgnoreCase)) {
                throw new IllegalArgumentException("unsupported SASL mechanism " + mechanism + "; jsmtp speaks "
                        + String.join(", ", SaslMechanisms.SUPPORTED));
            }
            this.authMechanism = mechanism;
            return this;
        }

        /**
         * Allows AUTH over a connection without TLS, where anyone on the path can read the credentials. For test
         * servers on localhost.
         */
        public Builder allowCleartextAuthenticationDangerously() {
            this.allowCleartextAuthentication = true;
            return this;
        }

        /** Always sends the SASL initial response on the AUTH line, even past 512 octets (some servers need it). */
        public Builder alwaysSendInitialResponse(boolean always) {
            this.alwaysSendInitialResponse = always;
            return this;
        }

        /** The name sent with EHLO/HELO; default the local address literal, such as {@code [127.0.0.1]}. */
        public Builder clientName(String name) {
            // A domain or an address literal (RFC 5321 §4.1.1.1): printable ASCII without spaces, so that no
            // caller-supplied name can inject a command.
            if (name != null && !name.matches("[\\x21-\\x7e]{1,255}")) {
                throw new IllegalArgumentException("invalid EHLO client name (a domain or address literal without "
                        + "spaces or control characters): " + Escaping.escape(name));
            }
            this.clientName = name;
            return this;
        }

        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts);
            return this;
        }

        /** The same timeout for every wait. */
        public Builder timeout(Duration timeout) {
            return timeouts(Timeouts.all(timeout));
        }

        /** Receives every command, reply and TLS event, secrets masked. */
        public Builder transcript(TranscriptListener listener) {
            this.transcript = Objects.requireNonNull(listener);
            return this;
        }

        /** Puts the message content in the transcript too (default: a one-line summary). */
        public Builder transcribeContent(boolean include) {
            this.transcribeContent = include;
            return this;
        }

        /**
         * When any recipient is refused, sends RSET before the data and throws {@link SmtpRejectedException}
         * listing them, so nothing is delivered. Default off: the accepted recipients get the message.
         */
        public Builder allOrNothing(boolean allOrNothing) {
            this.allOrNothing = allOrNothing;
            return this;
        }

        /** Uses PIPELINING when offered (default on). */
        public Builder pipelining(boolean use) {
            this.pipelining = use;
            return this;
        }

        /** Uses CHUNKING (BDAT) when offered (default on). */
        public Builder chunking(boolean use) {
            this.chunking = use;
            return this;
        }

        /** Connections open to the server at most (default 4); sends beyond wait for one to come back. */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1: " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * Messages sent on one connection before it is closed with QUIT and replaced (default 100); providers cap
         * it (SendGrid: 5,000 a connection).
         */
        public Builder maxMessagesPerConnection(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxMessagesPerConnection must be at least 1: " + max);
            }
            this.maxMessagesPerConnection = max;
            return this;
        }

        /** How long an unused connection is kept open (default 30 s, below common server idle limits). */
        public Builder idleTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idle timeout must be positive");
            }
            this.idleTimeout = timeout;
            return this;
        }

        /** Sends at most {@code perMinute} messages a minute, evenly spaced (Microsoft 365 allows 30); default none. */
        public Builder rateLimit(int perMinute) {
            if (perMinute < 1) {
                throw new IllegalArgumentException("rate limit must be at least 1 a minute: " + perMinute);
            }
            this.ratePerMinute = perMinute;
            return this;
        }

        /** When failed sends are tried again; default {@link RetryPolicy#NONE}. Ambiguous failures never are. */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy);
            return this;
        }

        /**
         * Lets up to {@code window} whole transactions share one flight when the server offers PIPELINING and
         * CHUNKING (each message still gets its own result); default 1, one transaction at a time. After the
         * server refuses a pipelined MAIL, the client goes back to one at a time.
         */
        public Builder pipelinedTransactions(int window) {
            if (window < 1) {
                throw new IllegalArgumentException("window must be at least 1: " + window);
            }
            this.pipelinedWindow = window;
            return this;
        }

        /** The clock and sleeper for backoff, idle expiry and rate limits; tests step time instead of sleeping. */
        Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker);
            return this;
        }

        public SmtpClient build() {
            int effectivePort = port > 0 ? port : tlsMode.defaultPort();
            return new SmtpClient(new SessionConfig(host, effectivePort, tlsMode, tls.build(),
                    Optional.ofNullable(credentials), Optional.ofNullable(authMechanism),
                    allowCleartextAuthentication, alwaysSendInitialResponse, Optional.ofNullable(clientName),
                    timeouts, transcript, transcribeContent, allOrNothing, pipelining, chunking),
                    new PooledTransport.Settings(maxConnections, maxMessagesPerConnection, idleTimeout,
                            ratePerMinute, retryPolicy, pipelinedWindow), ticker);
        }
    }
}
