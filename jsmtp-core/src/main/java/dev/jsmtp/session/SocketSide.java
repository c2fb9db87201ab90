package dev.jsmtp.session;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Marks failures of the socket's output so they can be told apart from failures of the message content's own
 * source while both run inside one {@code writeTo} call: the first make a typed connection error, the second
 * must close the connection so no truncated message is completed.
 */
final class SocketSide extends FilterOutputStream {

    /** An I/O failure of the socket, wrapped. */
    static final class Failure extends IOException {
        Failure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        IOException socketCause() {
            return (IOException) getCause();
        }
    }

    SocketSide(OutputStream socketOut) {
        super(socketOut);
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw new Failure(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw new Failure(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw new Failure(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } catch (IOException e) {
            throw new Failure(e);
        }
    }
}
