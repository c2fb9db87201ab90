package dev.jsmtp.session;

import dev.jsmtp.Credentials;
import dev.jsmtp.Envelope;
import dev.jsmtp.Extension;
import dev.jsmtp.Extensions;
import dev.jsmtp.MessageContent;
import dev.jsmtp.Path;
import dev.jsmtp.Reply;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpAuthenticationException;
import dev.jsmtp.SmtpConnection;
import dev.jsmtp.SmtpConnectionException;
import dev.jsmtp.SmtpException;
import dev.jsmtp.SmtpRejectedException;
import dev.jsmtp.SmtpSecurityException;
import dev.jsmtp.SmtpTimeoutException;
import dev.jsmtp.TlsInfo;
import dev.jsmtp.TlsMode;
import dev.jsmtp.auth.Authenticator;
import dev.jsmtp.auth.SaslMechanism;
import dev.jsmtp.auth.SaslMechanisms;
import dev.jsmtp.tls.TlsUpgrade;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * One SMTP session over one connection (RFC 5321 §3): greeting → EHLO (HELO when refused) → [STARTTLS → EHLO]
 * → [AUTH] → transactions → QUIT. Every verb checks {@link SessionState} once before it writes. Not thread-safe.
 *
 * <p>Security rules applied here: STARTTLS is never pipelined; bytes the server sent after its 220 go-ahead and
 * before the handshake abort the session (command injection, CVE-2011-0411 class); everything learnt before TLS
 * is forgotten after it; credentials never travel unencrypted unless the caller allowed it by name.
 */
public final class Session implements SmtpConnection {

    private final SessionConfig config;
    private final Transcript transcript;
    private final SessionIo io;
    private SessionState state;
    private Stage stage;
    private Reply greeting;
    private Extensions extensions = Extensions.NONE;
    private Extensions extensionsBeforeTls;
    private TlsInfo tlsInfo;

    private Session(SessionConfig config, Transcript transcript, SessionIo io, TlsInfo tlsInfo) {
        this.config = config;
        this.transcript = transcript;
        this.io = io;
        this.tlsInfo = tlsInfo;
    }

    /** Connects (with implicit TLS when configured) and reads the greeting. */
    public static Session open(SessionConfig config) throws IOException {
        Transcript transcript = new Transcript(config.transcript());
        Socket socket = connect(config, transcript);
        TlsInfo tls = null;
        try {
            if (config.tlsMode() == TlsMode.IMPLICIT) {
                SSLSocket ssl = TlsUpgrade.handshake(socket, config.host(), config.port(), config.tls(),
                        config.timeouts().tlsHandshake());
                tls = TlsUpgrade.info(ssl, config.tls().serverName().orElse(config.host()));
                transcript.connection("TLS " + tls.protocol() + " " + tls.cipherSuite() + " established");
                socket = ssl;
            }
            Session session = new Session(config, transcript, new SessionIo(socket, config.server(),
                    config.timeouts().write(), transcript), tls);
            session.readGreeting();
            return session;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    private static Socket connect(SessionConfig config, Transcript transcript) throws SmtpException {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(config.host());
        } catch (UnknownHostException e) {
            throw SmtpConnectionException.hostNotFound(config.host(), e);
        }
        Duration timeout = config.timeouts().connect();
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true); // pipelined flights must not wait for Nagle
                socket.connect(new InetSocketAddress(address, config.port()), (int) timeout.toMillis());
                transcript.connection("connected to " + address.getHostAddress() + " port " + config.port());
                return socket;
            } catch (SocketTimeoutException e) {
                closeQuietly(socket);
                last = e;
            } catch (IOException e) {
                closeQuietly(socket);
                last = e;
            }
        }
        if (last instanceof SocketTimeoutException) {
            throw new SmtpTimeoutException("connect", timeout, false, config.server());
        }
        throw new SmtpConnectionException("cannot connect: " + last.getMessage(), config.server(), last, false);
    }

    private void readGreeting() throws SmtpException {
        Reply reply = io.read("greeting", config.timeouts().greeting(), false);
        if (reply.code() != 220) {
            state = SessionState.CLOSED;
            io.closeQuietly();
            throw new SmtpRejectedException("(connect)", reply, config.server());
        }
        greeting = reply;
        state = SessionState.GREETED;
        stage = Stage.CONNECT;
    }

    @Override
    public void advanceTo(Stage target) throws IOException {
        while (stage.compareTo(target) < 0) {
            switch (stage) {
                case CONNECT -> {
                    ehlo();
                    stage = Stage.EHLO;
                }
                case EHLO -> {
                    startTlsIfConfigured();
                    stage = Stage.TLS;
                }
                case TLS -> {
                    authenticateIfConfigured();
                    stage = Stage.AUTH;
                }
                default -> throw new IllegalStateException("unreachable stage " + stage);
            }
        }
    }

    /** EHLO, falling back to HELO when the server refuses EHLO with 500, 502 or 504 (RFC 5321 §3.2). */
    void ehlo() throws SmtpException {
        state.require("EHLO", SessionState.GREETED);
        String name = clientName();
        io.command("EHLO " + name);
        io.flush("EHLO", false);
        Reply reply = io.read("reply to EHLO", config.timeouts().ehlo(), false);
        if (reply.isPositive()) {
            extensions = Extensions.parse(reply);
        } else if (reply.code() == 500 || reply.code() == 502 || reply.code() == 504 || reply.code() == 550) {
            io.command("HELO " + name);
            io.flush("HELO", false);
            Reply helo = io.read("reply to HELO", config.timeouts().ehlo(), false);
            check("HELO " + name, helo);
            extensions = Extensions.NONE;
        } else {
            check("EHLO " + name, reply);
        }
        state = SessionState.READY;
    }

    private void startTlsIfConfigured() throws IOException {
        TlsMode mode = config.tlsMode();
        if (tlsInfo != null || (mode != TlsMode.STARTTLS_REQUIRED && mode != TlsMode.STARTTLS_OPPORTUNISTIC)) {
            return;
        }
        if (!extensions.supports(Extension.STARTTLS)) {
            if (mode == TlsMode.STARTTLS_REQUIRED) {
                fail();
                throw new SmtpSecurityException("STARTTLS required but not offered", config.server());
            }
            transcript.connection("STARTTLS not offered; continuing without TLS (opportunistic)");
            return;
        }
        startTls();
    }

    /** STARTTLS (RFC 3207): alone in its flight, then the handshake, then EHLO again over TLS. */
    private void startTls() throws IOException {
        state.require("STARTTLS", SessionState.READY);
        io.command("STARTTLS");
        io.flush("STARTTLS", false);
        Reply reply = io.read("reply to STARTTLS", config.timeouts().startTls(), false);
        if (config.tlsMode() == TlsMode.STARTTLS_OPPORTUNISTIC && (reply.isTransientNegative() && reply.code() != 421
                || reply.isPermanentNegative())) {
            // RFC 3207 §4: after a refusal the client decides whether to go on; opportunistic TLS goes on in plain
            // text, as when STARTTLS is not offered at all.
            transcript.connection("STARTTLS refused (" + reply.code() + "); continuing without TLS (opportunistic)");
            return;
        }
        if (reply.code() != 220) {
            fail();
            throw new SmtpSecurityException("STARTTLS refused: " + reply, config.server(), reply);
        }
        int injected = io.unreadBytes();
        if (injected > 0) {
            fail();
            throw new SmtpSecurityException("server sent " + injected + " bytes after its STARTTLS go-ahead and "
                    + "before the TLS handshake (possible command injection); session aborted", config.server());
        }
        SSLSocket ssl = TlsUpgrade.handshake(io.socket(), config.host(), config.port(), config.tls(),
                config.timeouts().tlsHandshake());
        io.replaceSocket(ssl);
        tlsInfo = TlsUpgrade.info(ssl, config.tls().serverName().orElse(config.host()));
        transcript.connection("TLS " + tlsInfo.protocol() + " " + tlsInfo.cipherSuite() + " established");
        // RFC 3207 §4.2: discard all knowledge obtained before TLS.
        extensionsBeforeTls = extensions;
        extensions = Extensions.NONE;
        state = SessionState.GREETED;
        ehlo();
    }

    private void authenticateIfConfigured() throws IOException {
        Optional<Credentials> credentials = config.credentials();
        if (credentials.isEmpty()) {
            return;
        }
        state.require("AUTH", SessionState.READY);
        if (tlsInfo == null && !config.allowCleartextAuthentication()) {
            fail();
            throw new SmtpSecurityException("refusing to send credentials over an unencrypted connection; use TLS "
                    + "(implicit or STARTTLS) or allow cleartext authentication explicitly", config.server());
        }
        if (!extensions.supports(Extension.AUTH)) {
            fail();
            throw new SmtpAuthenticationException("server does not offer AUTH"
                    + (tlsInfo == null ? " (many servers offer it only after STARTTLS)" : ""),
                    Optional.empty(), config.authMechanism().orElse("(none)"), false, config.server());
        }
        SaslMechanism mechanism = SaslMechanisms.choose(credentials.get(), extensions.authMechanisms(),
                config.authMechanism(), config.host(), config.port());
        // One mechanism only: after a refusal we never fall back to a weaker one.
        String username = credentials.get().username();
        Authenticator.authenticate((line, shown) -> {
            maskEchoes(line, username);
            io.authCommand(line, shown);
            io.flush("AUTH", false);
            return io.read("reply to AUTH", config.timeouts().auth(), false);
        }, mechanism, config.alwaysSendInitialResponse(), config.server());
        state = SessionState.AUTHENTICATED;
    }

    /** Registers the secret forms of a SASL line so the transcript masks a server that echoes them. */
    private void maskEchoes(String line, String username) {
        String payload = line;
        if (line.startsWith("AUTH ")) {
            int space = line.indexOf(' ', 5);
            payload = space < 0 ? "" : line.substring(space + 1);
        }
        if (payload.isEmpty() || payload.equals("=")) {
            return;
        }
        String usernameBase64 = java.util.Base64.getEncoder()
                .encodeToString(username.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<String> forms = new ArrayList<>(Authenticator.secretForms(List.of(payload)));
        // The user name is not secret, and masking it would hide addresses in later replies.
        forms.removeIf(f -> f.equals(username) || f.equals(usernameBase64) || f.equals("user=" + username));
        transcript.addSecretForms(forms);
    }

    private String clientName() {
        if (config.clientName().isPresent()) {
            return config.clientName().get();
        }
        // The address literal of our end of the connection: no DNS lookup (RFC 5321 §4.1.4 allows it).
        InetAddress local = io.socket().getLocalAddress();
        String address = local.getHostAddress();
        int scope = address.indexOf('%');
        if (scope >= 0) {
            address = address.substring(0, scope);
        }
        return local instanceof Inet6Address ? "[IPv6:" + address + "]" : "[" + address + "]";
    }

    @Override
    public SendResult send(Envelope envelope, MessageContent content) throws IOException {
        advanceTo(Stage.AUTH);
        state.require("MAIL", SessionState.READY, SessionState.AUTHENTICATED);
        io.newTransaction();
        try {
            return new MailTransaction(this, envelope, content.adaptTo(extensions)).run();
        } catch (SmtpException e) {
            if (io.isClosed()) {
                state = SessionState.CLOSED;
            }
            throw e;
        }
    }

    @Override
    public Reply mail(Envelope envelope, MessageContent content) throws IOException {
        advanceTo(Stage.AUTH);
        state.require("MAIL", SessionState.READY, SessionState.AUTHENTICATED);
        MailTransaction transaction = new MailTransaction(this, envelope, content.adaptTo(extensions));
        String line = transaction.mailCommand();
        return exchange(line, "reply to MAIL FROM", config.timeouts().mail());
    }

    @Override
    public Reply rcpt(Path forwardPath, Envelope envelope) throws IOException {
        state.require("RCPT", SessionState.READY, SessionState.AUTHENTICATED);
        String line = MailTransaction.rcptCommand(forwardPath, envelope, envelope.requiresSmtpUtf8(), extensions);
        return exchange(line, "reply to RCPT TO", config.timeouts().rcpt());
    }

    @Override
    public Reply rset() throws IOException {
        state.require("RSET", SessionState.READY, SessionState.AUTHENTICATED);
        return exchange("RSET", "reply to RSET", config.timeouts().mail());
    }

    @Override
    public Reply noop() throws IOException {
        state.require("NOOP", SessionState.GREETED, SessionState.READY, SessionState.AUTHENTICATED);
        return exchange("NOOP", "reply to NOOP", config.timeouts().mail());
    }

    private Reply exchange(String line, String waitingFor, Duration timeout) throws SmtpException {
        io.command(line);
        io.flush(line, false);
        Reply reply = io.read(waitingFor, timeout, false);
        if (reply.code() == 421) {
            fail();
        }
        return reply;
    }

    /** Throws a rejection for any reply that is not positive; 421 also marks the session closed. */
    void check(String command, Reply reply) throws SmtpRejectedException {
        if (reply.isPositive()) {
            return;
        }
        if (reply.code() == 421) {
            fail();
        }
        throw new SmtpRejectedException(command, reply, config.server());
    }

    @Override
    public Reply greeting() {
        return greeting;
    }

    @Override
    public Extensions extensions() {
        return extensions;
    }

    @Override
    public Optional<Extensions> extensionsBeforeTls() {
        return Optional.ofNullable(extensionsBeforeTls);
    }

    @Override
    public Optional<TlsInfo> tls() {
        return Optional.ofNullable(tlsInfo);
    }

    @Override
    public Stage stage() {
        return stage;
    }

    @Override
    public boolean isUsable() {
        return state != SessionState.CLOSED && !io.isClosed();
    }

    @Override
    public long clientTurns() {
        return io.turns();
    }

    // ---- hooks for the transport layer (pooling, cancellation) ---------------------------------------------

    /** Replies read so far; unchanged across a failed send means the server answered none of it. */
    public long repliesRead() {
        return io.repliesRead();
    }

    /** True once the current transaction's end of data (final dot or {@code BDAT LAST}) may have been written. */
    public boolean endOfDataWritten() {
        return io.endOfDataWritten();
    }

    /**
     * True when this idle session must not be reused, learnt without a round trip: bytes are already waiting
     * (a 421), or, when {@code probeForEof}, a one-millisecond read sees the end of the stream.
     */
    public boolean isStale(boolean probeForEof) {
        return !isUsable() || io.staleWithoutRoundTrip(probeForEof);
    }

    SessionConfig config() {
        return config;
    }

    SessionIo io() {
        return io;
    }

    Transcript transcript() {
        return transcript;
    }

    /** Marks the session unusable and closes the socket without QUIT. */
    /**
     * Writes a pipelined transaction's content to {@code body}; when the message source fails, closes the
     * connection so that no partial message is completed.
     */
    void writePipelinedContent(MessageContent content, java.io.OutputStream body) throws IOException {
        try {
            content.writeTo(body);
        } catch (SocketSide.Failure | SmtpException e) {
            throw e;
        } catch (IOException e) {
            fail();
            throw new SmtpConnectionException("reading the message content failed; the connection was "
                    + "closed so no partial message is delivered: " + e.getMessage(), config.server(), e, false);
        }
    }

    void fail() {
        state = SessionState.CLOSED;
        io.closeQuietly();
    }

    /** Closes without QUIT, for errors during opening. */
    public void abort() {
        fail();
    }

    @Override
    public void close() {
        if (isUsable()) {
            try {
                io.command("QUIT");
                io.flush("QUIT", false);
                io.read("reply to QUIT", config.timeouts().quit(), false);
            } catch (SmtpException ignored) {
                // The server may close first; the mail is already delivered or refused by now.
            }
        }
        state = SessionState.CLOSED;
        io.closeQuietly();
        transcript.connection("connection closed");
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing more to release.
        }
    }
}
