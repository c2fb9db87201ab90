package dev.jsmtp.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Buffers SMTP command lines (RFC 5321 §4.1) and message content for one flight, so that a pipelined batch
 * (RFC 2920) leaves in as few packets as possible; {@link #flush()} sends it and counts a client turn.
 *
 * <p>Not thread-safe; one writer per connection.
 */
public final class CommandWriter {

    /** RFC 5321 §4.5.3.1.4: a command line is at most 512 octets, CRLF included. */
    public static final int MAX_COMMAND_LINE = 512;
    /** RFC 4954 §4: a SASL line (AUTH with initial response, or a continuation) may reach 12288 octets. */
    public static final int MAX_SASL_LINE = 12288;

    private static final int BUFFER_SIZE = 64 * 1024;
    /** Content runs this long are written from the caller's array rather than copied into the buffer. */
    private static final int DIRECT_WRITE = BUFFER_SIZE / 2;
    /** A BDAT chunk buffer up to this size is kept for the next message, so small messages allocate none. */
    static final int KEPT_CHUNK_BUFFER = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};

    private final OutputStream socketOut;
    /** The flight being assembled; {@code count} octets of it are unsent. */
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int count;
    private final OutputStream data;
    private long turns;
    private long bytesWritten;
    private boolean unsent;
    /** Lent to one {@link BdatChunker} at a time; null while lent. */
    private byte[] chunkBuffer;

    public CommandWriter(OutputStream socketOut) {
        this.socketOut = Objects.requireNonNull(socketOut, "socketOut");
        this.data = new DataStream();
    }

    /**
     * Buffers {@code commandLine} and CRLF, in UTF-8.
     *
     * @throws IllegalArgumentException when the line contains CR, LF or NUL, or exceeds 512 octets with CRLF;
     *                                  the message names the verb only, since lines may carry credentials
     * @throws IOException              when the buffer fills up and sending part of the flight fails
     */
    public void write(String commandLine) throws IOException {
        writeLine(commandLine, MAX_COMMAND_LINE);
    }

    /**
     * Buffers a SASL line (RFC 4954) of up to 12288 octets with CRLF: {@code AUTH} with an initial response, or
     * a response to a 334 challenge.
     *
     * @throws IllegalArgumentException as {@link #write(String)}, with the larger limit
     */
    public void writeUnlimited(String saslLine) throws IOException {
        writeLine(saslLine, MAX_SASL_LINE);
    }

    /**
     * The buffered stream for message content (wrap it in a {@link DotStuffingOutputStream} or
     * {@link BdatChunker}). Closing it does nothing: the connection outlives one message.
     */
    public OutputStream data() {
        return data;
    }

    /** Sends everything buffered; counts one client turn when anything was written since the last flush. */
    public void flush() throws IOException {
        if (unsent) {
            turns++;
            unsent = false;
        }
        sendBuffer();
        socketOut.flush();
    }

    /** How many flights were sent: flushes that had something to send. */
    public long turns() {
        return turns;
    }

    /** Octets buffered so far, command lines with their CRLF and content alike. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** The kept chunk buffer, or a new one of {@code size} octets; the caller owns it until it gives it back. */
    byte[] lendChunkBuffer(int size) {
        byte[] b = chunkBuffer;
        chunkBuffer = null;
        return b != null ? b : new byte[size];
    }

    /** Keeps a chunk buffer that is no longer used, unless it is too large to hold on to. */
    void giveBackChunkBuffer(byte[] b) {
        if (b.length <= KEPT_CHUNK_BUFFER && (chunkBuffer == null || chunkBuffer.length < b.length)) {
            chunkBuffer = b;
        }
    }

    private void writeLine(String line, int maxOctets) throws IOException {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("command " + verb(line) + " contains "
                        + (c == '\r' ? "CR" : c == '\n' ? "LF" : "NUL") + " at index " + i);
            }
        }
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (bytes.length + 2 > maxOctets) {
            throw new IllegalArgumentException("command " + verb(line) + " is " + (bytes.length + 2)
                    + " octets with CRLF; the limit is " + maxOctets);
        }
        // Throws only when a long flight overflows the buffer and the partial send fails.
        put(bytes, 0, bytes.length);
        put(CRLF, 0, CRLF.length);
        bytesWritten += bytes.length + 2;
        unsent = true;
    }

    /**
     * Buffers octets. When they do not fit, the buffer is topped up and sent before the rest: what was buffered
     * (a {@code BDAT} command, say) leaves in the same write as the first content after it, never as a segment
     * of its own. Runs of at least {@value #DIRECT_WRITE} octets that find the buffer empty, or are left after
     * topping it up, go straight from the caller's array: large content is not copied, and nothing of it waits
     * in the buffer for a flush (a server can answer a BDAT chunk only once all of it has arrived).
     */
    private void put(byte[] b, int off, int len) throws IOException {
        if (count == 0 && len >= DIRECT_WRITE) {
            socketOut.write(b, off, len);
            return;
        }
        int room = buffer.length - count;
        if (len <= room) {
            System.arraycopy(b, off, buffer, count, len);
            count += len;
            return;
        }
        System.arraycopy(b, off, buffer, count, room);
        count = buffer.length;
        sendBuffer();
        off += room;
        len -= room;
        if (len >= DIRECT_WRITE) {
            socketOut.write(b, off, len);
        } else {
            System.arraycopy(b, off, buffer, 0, len);
            count = len;
        }
    }

    private void sendBuffer() throws IOException {
        if (count > 0) {
            // Reset first: after a failed write the connection is unusable, and nothing is sent twice.
            int n = count;
            count = 0;
            socketOut.write(buffer, 0, n);
        }
    }

    /** The command's first word, escaped and short: never the arguments, which may be credentials. */
    private static String verb(String line) {
        int end = 0;
        while (end < line.length() && end < 12 && Character.isLetterOrDigit(line.charAt(end))) {
            end++;
        }
        return end == 0 ? "line" : line.substring(0, end);
    }

    private final class DataStream extends OutputStream {

        @Override
        public void write(int b) throws IOException {
            if (count == buffer.length) {
                sendBuffer();
            }
            buffer[count++] = (byte) b;
            bytesWritten++;
            unsent = true;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            put(b, off, len);
            bytesWritten += len;
            unsent = len > 0 || unsent;
        }

        @Override
        public void flush() throws IOException {
            CommandWriter.this.flush();
        }

        @Override
        public void close() {
            // The connection outlives one message; the session closes the socket.
        }
    }
}
