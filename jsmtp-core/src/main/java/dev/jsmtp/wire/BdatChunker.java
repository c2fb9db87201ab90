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
 *
 * <p>When the content's size is known ({@link #expectSize}), every chunk but the last is announced before its
 * octets exist and they go straight from the caller's arrays to the writer, with no copy; the last is buffered as
 * always, so it still carries data and {@code LAST} is sent only once the content has really ended.
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
    /** Octets of a known-size content not yet in any chunk; -1 when the size is unknown or the last chunk began. */
    private long unannounced = -1;
    /** Octets still owed to the chunk announced ahead of them; 0 when no such chunk is open. */
    private int owed;
    private int announced;

    /** A content that ended before the size it declared, inside a chunk announced for octets that never came. */
    public static final class ContentEndedEarly extends IOException {
        ContentEndedEarly(long missing) {
            super("the message content ended " + missing + " octets before its declared size");
        }
    }

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

    /**
     * Says how many octets will be written in all, before the first write, so that chunks before the last can be
     * sent without buffering. Writing fewer then fails at {@link #finish()} with {@link ContentEndedEarly}, and the
     * connection must be closed (a chunk was announced for octets that never came); writing more is sent correctly.
     */
    public void expectSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        if (count != 0 || owed != 0 || finished) {
            throw new IllegalStateException("the size must be given before the content");
        }
        unannounced = size;
    }

    @Override
    public void write(int b) throws IOException {
        checkOpen();
        if (owed > 0 || announceAhead()) {
            out.data().write(b);
            paid(1);
            return;
        }
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
            if (owed > 0 || announceAhead()) {
                int n = Math.min(len, owed);
                out.data().write(b, off, n);
                off += n;
                len -= n;
                paid(n);
                continue;
            }
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
        if (owed > 0 || unannounced > 0) {
            // Short of its declared size: never complete it as if it were whole, even on a chunk boundary.
            out.giveBackChunkBuffer(chunk);
            throw new ContentEndedEarly(owed + Math.max(0, unannounced));
        }
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

    /**
     * With a known size and nothing buffered, announces the next chunk when it cannot be the last, so its octets
     * can follow unbuffered; once the rest fits in one chunk, buffering takes over for good.
     */
    private boolean announceAhead() throws IOException {
        if (unannounced < 0 || count != 0) {
            return false;
        }
        if (unannounced <= chunkSize) {
            unannounced = -1;
            return false;
        }
        announced = chunkSize;
        owed = chunkSize;
        unannounced -= chunkSize;
        out.write("BDAT " + announced);
        return true;
    }

    /** Counts octets written to an announced chunk; the listener hears of the chunk once it is complete. */
    private void paid(int n) throws IOException {
        owed -= n;
        if (owed == 0 && listener != null) {
            listener.chunkWritten(announced, false);
        }
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
