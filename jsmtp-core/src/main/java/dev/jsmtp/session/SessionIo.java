package dev.jsmtp.session;

import dev.jsmtp.Reply;
import dev.jsmtp.SmtpConnectionException;
import dev.jsmtp.SmtpException;
import dev.jsmtp.SmtpTimeoutException;
import dev.jsmtp.wire.CommandWriter;
import dev.jsmtp.wire.DeadlineOutputStream;
import dev.jsmtp.wire.ReplyReader;
import dev.jsmtp.wire.ReplyTimeoutException;
import dev.jsmtp.wire.WriteTimeoutException;
import dev.jsmtp.wire.WriteWatchdog;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;

/**
 * One connection's byte streams: the reply reader, the command writer with its write watchdog, and the mapping
 * of low-level I/O failures to the typed {@link SmtpException}s, which say what the client was waiting for and
 * whether the end of data had already been sent.
 */
final class SessionIo {

    private final String server;
    private final Duration writeTimeout;
    private final Transcript transcript;
    private Socket socket;
    private ReplyReader reader;
    private CommandWriter writer;
    private long turnsBefore;
    private long repliesRead;
    /** Set once the end of data of the current transaction may have reached the socket; read by cancellers. */
    private volatile boolean endOfDataWritten;

    SessionIo(Socket socket, String server, Duration writeTimeout, Transcript transcript) throws IOException {
        this.server = server;
        this.writeTimeout = writeTimeout;
        this.transcript = transcript;
        this.socket = socket;
        this.reader = new ReplyReader(socket.getInputStream(), server, ReplyReader.Limits.DEFAULTS,
                millis -> this.socket.setSoTimeout(millis), transcript.enabled() ? transcript::server : null);
        this.writer = newWriter(socket);
    }

    private CommandWriter newWriter(Socket s) throws IOException {
        OutputStream out = new SocketSide(new DeadlineOutputStream(s.getOutputStream(), writeTimeout,
                this::closeQuietly, WriteWatchdog.shared()));
        return new CommandWriter(out);
    }

    /** Switches to a socket layered over the current one (after the STARTTLS handshake). */
    void replaceSocket(Socket upgraded) throws IOException {
        long turns = turns();
        this.socket = upgraded;
        reader.replaceInput(upgraded.getInputStream());
        this.writer = newWriter(upgraded);
        this.turnsBefore = turns;
    }

    Socket socket() {
        return socket;
    }

    /** Bytes the server sent that no reply has consumed yet, buffered or waiting in the socket. */
    int unreadBytes() throws IOException {
        return reader.buffered() + socket.getInputStream().available();
    }

    /** Buffers a command line for the next flight and shows it in the transcript. */
    void command(String line) throws SmtpException {
        try {
            writer.write(line);
        } catch (IOException e) {
            throw failure(e, "sending " + verb(line), writeTimeout, false);
        }
        transcript.client(line);
    }

    /** Buffers a SASL line (which may exceed 512 octets) and shows only its masked form. */
    void authCommand(String line, String shown) throws SmtpException {
        try {
            writer.writeUnlimited(line);
        } catch (IOException e) {
            throw failure(e, "sending AUTH", writeTimeout, false);
        }
        transcript.client(shown);
    }

    private static String verb(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? line : line.substring(0, space);
    }

    OutputStream data() {
        return writer.data();
    }

    CommandWriter writer() {
        return writer;
    }

    void flush(String during, boolean endOfDataSent) throws SmtpException {
        try {
            writer.flush();
        } catch (IOException e) {
            throw failure(e, during, writeTimeout, endOfDataSent);
        }
    }

    Reply read(String waitingFor, Duration timeout, boolean endOfDataSent) throws SmtpException {
        try {
            Reply reply = reader.read(timeout);
            repliesRead++;
            return reply;
        } catch (SmtpException e) {
            closeQuietly();
            throw e;
        } catch (IOException e) {
            throw failure(e, waitingFor, timeout, endOfDataSent);
        }
    }

    /** Maps an I/O failure to a typed exception and closes the connection, which is no longer usable. */
    SmtpException failure(IOException e, String during, Duration timeout, boolean endOfDataSent) {
        closeQuietly();
        if (e instanceof SocketSide.Failure wrapped) {
            e = wrapped.socketCause();
        }
        if (e instanceof SmtpException smtp) {
            return smtp;
        }
        if (e instanceof ReplyTimeoutException t) {
            String partial = t.partialBytes() > 0 ? " (" + t.partialBytes() + " bytes of a partial reply had arrived)"
                    : "";
            return new SmtpTimeoutException(during + partial, timeout, endOfDataSent, server);
        }
        if (e instanceof WriteTimeoutException) {
            return new SmtpTimeoutException(during + " (the server stopped reading)", writeTimeout, endOfDataSent,
                    server);
        }
        String what = e instanceof EOFException ? "connection closed by the server" : "connection lost";
        String detail = e.getMessage() == null ? "" : ": " + e.getMessage();
        return new SmtpConnectionException(what + " during " + during + detail, server, e, endOfDataSent);
    }

    /** Client turns so far: bursts of writes between two reads (STARTTLS included). */
    long turns() {
        return turnsBefore + writer.turns();
    }

    // ---- hooks for the transport layer (pooling, cancellation) ---------------------------------------------

    /** Replies read so far on this connection; unchanged across a failed send means none of it was answered. */
    long repliesRead() {
        return repliesRead;
    }

    /** Called just before the end-of-data marker (final dot or {@code BDAT LAST}) is buffered for writing. */
    void endOfDataStarting() {
        endOfDataWritten = true;
    }

    /** Called when a transaction starts. */
    void newTransaction() {
        endOfDataWritten = false;
    }

    boolean endOfDataWritten() {
        return endOfDataWritten;
    }

    /**
     * True when this idle connection cannot be reused, found without a round trip: the server already sent
     * something (a 421 before closing an idle connection), or, when {@code probeForEof}, a read of one
     * millisecond sees the end of the stream. A probe that reads a byte also makes the connection stale: an
     * unsolicited byte cannot be put back.
     */
    boolean staleWithoutRoundTrip(boolean probeForEof) {
        if (socket.isClosed()) {
            return true;
        }
        try {
            if (unreadBytes() > 0) {
                return true;
            }
            if (!probeForEof) {
                return false;
            }
            int saved = socket.getSoTimeout();
            socket.setSoTimeout(1);
            try {
                socket.getInputStream().read();
                return true;
            } catch (java.net.SocketTimeoutException alive) {
                return false;
            } finally {
                if (!socket.isClosed()) {
                    socket.setSoTimeout(saved);
                }
            }
        } catch (IOException e) {
            return true;
        }
    }

    void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a broken socket can fail; there is nothing left to release.
        }
    }

    boolean isClosed() {
        return socket.isClosed();
    }
}
