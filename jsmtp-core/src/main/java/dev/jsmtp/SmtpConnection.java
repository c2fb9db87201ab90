package dev.jsmtp;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/**
 * One open SMTP session (RFC 5321 §3), for callers who drive it step by step: probing a server, stopping after a
 * chosen stage, or sending several messages on one connection. Not thread-safe: one caller at a time.
 *
 * <p>Lifecycle: {@link SmtpClient#connect(Stage)} returns it after the chosen stage; {@link #advanceTo(Stage)}
 * goes further; {@link #send} runs whole transactions; {@link #close()} sends QUIT and closes.
 */
public interface SmtpConnection extends Closeable {

    /** The stages of a session's opening, in order. */
    enum Stage {
        /** Connected (and, with implicit TLS, handshaken); the greeting was read. */
        CONNECT,
        /** EHLO (or HELO) answered. */
        EHLO,
        /** STARTTLS done and EHLO repeated, when the TLS mode asks for it; same as EHLO otherwise. */
        TLS,
        /** Authenticated, when credentials were given: ready for mail. */
        AUTH
    }

    /** The server's 220 greeting. */
    Reply greeting();

    /** The extensions from the latest EHLO (after STARTTLS, only those announced over TLS). */
    Extensions extensions();

    /** The extensions announced before STARTTLS, for probing; empty when no STARTTLS happened. */
    Optional<Extensions> extensionsBeforeTls();

    /** The TLS session, when the connection is encrypted. */
    Optional<TlsInfo> tls();

    /** The stage reached so far. */
    Stage stage();

    /** Runs the opening up to {@code stage}. */
    void advanceTo(Stage stage) throws IOException;

    /** Sends one message (advancing to {@link Stage#AUTH} first). Partial success is in the result. */
    SendResult send(Envelope envelope, MessageContent content) throws IOException;

    /** MAIL FROM only, for testing servers ({@code --quit-after mail}); returns the reply. */
    Reply mail(Envelope envelope, MessageContent content) throws IOException;

    /** RCPT TO for one forward-path after {@link #mail}; returns the reply. */
    Reply rcpt(Path forwardPath, Envelope envelope) throws IOException;

    /** RSET (RFC 5321 §4.1.1.5). */
    Reply rset() throws IOException;

    /** NOOP (RFC 5321 §4.1.1.9). */
    Reply noop() throws IOException;

    /** True while the connection is open and no error has made it unusable. */
    boolean isUsable();

    /**
     * Client turns so far on this connection: flights of commands (and content) written between two waits for
     * replies. Over a network each costs a round trip, so this is what PIPELINING (RFC 2920) and CHUNKING
     * (RFC 3030) save; compare it before and after a send.
     */
    long clientTurns();

    /** Sends QUIT (best effort, within the QUIT timeout) and closes the socket. */
    @Override
    void close();
}
