package dev.jsmtp.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Message content sent with BDAT (RFC 3030 §2): the octets written are cut into {@code BDAT <n>} chunks of at
 * most {@code chunkSize} octets on a {@link CommandWriter}; {@link #finish()} sends the rest as
 * {@code BDAT <n> LAST}. A full chunk is held back until more content arrives, so the last chunk carries data
 * and {@code BDAT 0 LAST} is sent only for empty content.
 *
 * <p>The content must already be CRLF-normalised ({@link CrlfOutputStream}); nothing is dot-stuffed. Closing the
 * chunker does not finish it, so an aborted copy never looks like a complete message.
 */
public final class BdatChunker extends OutputStream {

    /** Told after each chunk's command and octets are buffered; the session flushes, reads replies and logs. */
    public interface ChunkListener {
        void chunkWritten(long chunkSize, boolean last) throws IOException;
    }

    private final CommandWriter out;
    private int chunkSize;
    private final ChunkListener listener;
    private byte[] chunk;
    private int count;
    private boolean finished;

    public BdatChunker(CommandWriter out, int chunkSize, ChunkListener listener) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be positive: " + chunkSize);
        }
        this.out = Objects.requireNonNull(out, "out");
        this.chunkSize = chunkSize;
        this.listener = listener;
        // Borrowed from the writer, which keeps it for the next message on the connection.
        this.chunk = out.lendChunkBuffer(Math.min(chunkSize, 8192));
    }

    @Override
    public void write(int b) throws IOException {
        checkOpen();
        if (count == chunkSize) {
            sendChunk(chunk, 0, count, false);
            count = 0;
        }
        ensureRoom(1);
        chunk[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        checkOpen();
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (count == chunkSize) {
                sendChunk(chunk, 0, count, false);
                count = 0;
            }
            if (count == 0 && len > chunkSize) {
                // More than a chunk remains, so this one is not the last: send it straight from the caller's array.
                // The listener may change the chunk size, so advance by what was actually sent.
                int sent = chunkSize;
                sendChunk(b, off, sent, false);
                off += sent;
                len -= sent;
                continue;
            }
            int n = Math.min(len, chunkSize - count);
            ensureRoom(n);
            System.arraycopy(b, off, chunk, count, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    /**
     * Changes the size of the chunks that follow (a session sends a small speculative first chunk, then larger
     * ones once a recipient was accepted). Octets already buffered stay in the current chunk.
     */
    public void chunkSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be positive: " + size);
        }
        // The buffer grows only when a write needs the room: a small message never pays for a large chunk size.
        chunkSize = Math.max(size, count);
    }

    /**
     * Sends the octets buffered so far as a chunk that is not the last, so the transaction can be checked (or
     * reset) before it is committed; does nothing when nothing is buffered.
     */
    public void endChunk() throws IOException {
        checkOpen();
        if (count > 0) {
            sendChunk(chunk, 0, count, false);
            count = 0;
        }
    }

    /** Sends what is left as {@code BDAT <n> LAST} ({@code BDAT 0 LAST} when nothing is). Calling it again does nothing. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            sendChunk(chunk, 0, count, true);
        } finally {
            count = 0;
            out.giveBackChunkBuffer(chunk);
        }
    }

    /** Does nothing: the chunks are on the command writer; only {@link #finish()} ends the message. */
    @Override
    public void flush() {
    }

    /** Does not finish the message, and closes nothing. */
    @Override
    public void close() {
    }

    /** Grows the buffer (never past the chunk size) so that {@code n} more octets fit. */
    private void ensureRoom(int n) {
        int needed = count + n;
        if (needed > chunk.length) {
            chunk = java.util.Arrays.copyOf(chunk, Math.min(chunkSize, Math.max(needed, chunk.length * 2)));
        }
    }

    private void sendChunk(byte[] b, int off, int len, boolean last) throws IOException {
        out.write(last ? "BDAT " + len + " LAST" : "BDAT " + len);
        out.data().write(b, off, len);
        if (listener != null) {
            listener.chunkWritten(len, last);
        }
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("BDAT LAST was already sent");
        }
    }
}
