package dev.jsmtp.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BdatChunkerTest {

    private final ByteArrayOutputStream socket = new ByteArrayOutputStream();
    private final CommandWriter writer = new CommandWriter(socket);
    private final List<String> chunks = new ArrayList<>();

    @ParameterizedTest
    @CsvSource({
        "0,  'BDAT 0 LAST|'",
        "1,  'BDAT 1 LAST|a'",
        "9,  'BDAT 9 LAST|abcdefghi'",
        "10, 'BDAT 10 LAST|abcdefghij'",
        "11, 'BDAT 10|abcdefghij,BDAT 1 LAST|k'",
        "20, 'BDAT 10|abcdefghij,BDAT 10 LAST|klmnopqrst'",
        "25, 'BDAT 10|abcdefghij,BDAT 10|klmnopqrst,BDAT 5 LAST|uvwxy'",
    })
    void cutsContentIntoChunksWithTheLastMarkedWhateverTheWriteSizes(int length, String expected) throws IOException {
        byte[] content = "abcdefghijklmnopqrstuvwxyz".substring(0, length).getBytes(StandardCharsets.US_ASCII);
        StringBuilder wire = new StringBuilder();
        for (String chunk : expected.split(",")) {
            String[] parts = chunk.split("\\|", -1);
            wire.append(parts[0]).append("\r\n").append(parts[1]);
        }
        for (int writeSize = 1; writeSize <= 26; writeSize++) {
            socket.reset();
            chunks.clear();
            CommandWriter out = new CommandWriter(socket);
            BdatChunker chunker = new BdatChunker(out, 10, this::record);
            for (int at = 0; at < content.length; at += writeSize) {
                chunker.write(content, at, Math.min(writeSize, content.length - at));
            }
            chunker.finish();
            out.flush();
            assertThat(socket.toString(StandardCharsets.US_ASCII)).as("writes of %d", writeSize)
                    .isEqualTo(wire.toString());
            assertThat(chunks).as("writes of %d", writeSize).hasSize(expected.split(",").length);
            assertThat(chunks.get(chunks.size() - 1)).endsWith(" last");
        }
    }

    @Test
    void consecutiveMessagesOnOneWriterCarryOnlyTheirOwnOctets() throws IOException {
        // The writer lends the same chunk buffer to each message in turn; nothing of an earlier (or abandoned)
        // message may show through in a later one.
        String[] messages = {"a long first message body", "xy", "", "third, longer than the second"};
        StringBuilder expected = new StringBuilder();
        BdatChunker abandoned = new BdatChunker(writer, 64, this::record);
        abandoned.write("never finished".getBytes(StandardCharsets.US_ASCII));
        socket.reset();
        for (String message : messages) {
            BdatChunker chunker = new BdatChunker(writer, 64, this::record);
            chunker.write(message.getBytes(StandardCharsets.US_ASCII));
            chunker.finish();
            expected.append("BDAT ").append(message.length()).append(" LAST\r\n").append(message);
        }
        writer.flush();
        assertThat(socket.toString(StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
    }

    @Test
    void growingTheChunkSizeInTheListenerLosesNoOctets() throws IOException {
        // The session sends a small speculative chunk, then grows the size from the listener (regression: the
        // direct-send path advanced by the new size and dropped the difference).
        byte[] content = new byte[100];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) ('a' + i % 26);
        }
        BdatChunker[] holder = new BdatChunker[1];
        holder[0] = new BdatChunker(writer, 10, (size, last) -> {
            chunks.add(size + (last ? " last" : ""));
            holder[0].chunkSize(40);
        });
        holder[0].write(content, 0, content.length);
        holder[0].finish();
        writer.flush();
        String wire = socket.toString(StandardCharsets.US_ASCII);
        String payload = wire.replaceAll("BDAT \\d+( LAST)?\r\n", "");
        assertThat(payload.getBytes(StandardCharsets.US_ASCII)).isEqualTo(content);
        assertThat(chunks).containsExactly("10", "40", "40", "10 last");
    }

    @Test
    void endChunkSendsWhatIsBufferedAsANonLastChunk() throws IOException {
        BdatChunker chunker = new BdatChunker(writer, 10, this::record);
        chunker.write("abc".getBytes(StandardCharsets.US_ASCII));
        chunker.endChunk();
        chunker.endChunk();
        chunker.finish();
        writer.flush();
        assertThat(socket.toString(StandardCharsets.US_ASCII)).isEqualTo("BDAT 3\r\nabcBDAT 0 LAST\r\n");
    }

    @Test
    void singleByteWritesAreChunkedToo() throws IOException {
        BdatChunker chunker = new BdatChunker(writer, 3, this::record);
        for (byte b : "abcdefg".getBytes(StandardCharsets.US_ASCII)) {
            chunker.write(b);
        }
        chunker.finish();
        writer.flush();
        assertThat(socket.toString(StandardCharsets.US_ASCII))
                .isEqualTo("BDAT 3\r\nabcBDAT 3\r\ndefBDAT 1 LAST\r\ng");
        assertThat(chunks).containsExactly("3", "3", "1 last");
    }

    @Test
    void theListenerRunsAfterEachChunkIsBufferedSoItCanFlushIt() throws IOException {
        List<String> seenOnFlush = new ArrayList<>();
        BdatChunker chunker = new BdatChunker(writer, 4, (size, last) -> {
            writer.flush();
            seenOnFlush.add(socket.toString(StandardCharsets.US_ASCII));
        });
        chunker.write("abcdefg".getBytes(StandardCharsets.US_ASCII));
        chunker.finish();
        assertThat(seenOnFlush).containsExactly("BDAT 4\r\nabcd", "BDAT 4\r\nabcdBDAT 3 LAST\r\nefg");
        assertThat(writer.turns()).isEqualTo(2);
    }

    @Test
    void closingDoesNotSendTheLastChunkButFinishDoesOnce() throws IOException {
        BdatChunker chunker = new BdatChunker(writer, 100, this::record);
        chunker.write("partial".getBytes(StandardCharsets.US_ASCII));
        chunker.close();
        writer.flush();
        assertThat(socket.size()).isZero();
        chunker.finish();
        chunker.finish();
        writer.flush();
        assertThat(socket.toString(StandardCharsets.US_ASCII)).isEqualTo("BDAT 7 LAST\r\npartial");
        assertThatThrownBy(() -> chunker.write('x')).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aKnownSizeGivesTheSameChunksWhateverTheWriteSizesAndTheSizeGrowingInTheListener() throws IOException {
        // Chunks before the last go straight from the caller's arrays; what reaches the wire must not change.
        byte[] content = new byte[57];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) ('A' + i % 50);
        }
        for (int length = 0; length <= content.length; length++) {
            for (int writeSize = 1; writeSize <= 23; writeSize += 2) {
                String buffered = chunked(content, length, writeSize, -1);
                assertThat(chunked(content, length, writeSize, length)).as("%d octets in writes of %d", length,
                        writeSize).isEqualTo(buffered);
                // Longer than declared (a supplier that under-counts) is still sent whole and correctly.
                if (length > 0) {
                    assertThat(chunked(content, length, writeSize, length - 1)).isEqualTo(buffered);
                    assertThat(chunked(content, length, writeSize, length / 3)).isEqualTo(buffered);
                }
            }
        }
    }

    @Test
    void contentEndingBeforeItsKnownSizeIsNeverCompletedAsAMessage() throws IOException {
        // Ends inside a chunk announced ahead of its octets, and on a chunk boundary: either way, no LAST.
        for (int written : new int[] {5, 10, 20}) {
            socket.reset();
            CommandWriter out = new CommandWriter(socket);
            BdatChunker chunker = new BdatChunker(out, 10, this::record);
            chunker.expectSize(35);
            chunker.write(new byte[written], 0, written);
            assertThatThrownBy(chunker::finish).isInstanceOf(BdatChunker.ContentEndedEarly.class)
                    .hasMessage("the message content ended " + (35 - written) + " octets before its declared size");
            out.flush();
            assertThat(socket.toString(StandardCharsets.US_ASCII)).as("%d written", written).doesNotContain("LAST");
        }
    }

    @Test
    void theSizeMustComeBeforeTheContent() throws IOException {
        BdatChunker chunker = new BdatChunker(writer, 10, this::record);
        chunker.write('a');
        assertThatThrownBy(() -> chunker.expectSize(5)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new BdatChunker(writer, 10, null).expectSize(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The wire octets and listener calls for {@code length} octets written in pieces; size -1 means unknown. */
    private String chunked(byte[] content, int length, int writeSize, long size) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        CommandWriter out = new CommandWriter(wire);
        List<String> heard = new ArrayList<>();
        BdatChunker[] self = new BdatChunker[1];
        // As the session does: a small first chunk, then larger ones once the envelope was accepted.
        BdatChunker chunker = new BdatChunker(out, 4, (chunkSize, last) -> {
            heard.add(chunkSize + (last ? " last" : ""));
            self[0].chunkSize(10);
        });
        self[0] = chunker;
        if (size >= 0) {
            chunker.expectSize(size);
        }
        for (int at = 0; at < length; at += writeSize) {
            int n = Math.min(writeSize, length - at);
            if (n == 1) {
                chunker.write(content[at]);
            } else {
                chunker.write(content, at, n);
            }
        }
        chunker.finish();
        out.flush();
        return wire.toString(StandardCharsets.US_ASCII) + " " + heard;
    }

    @Test
    void chunkSizeMustBePositive() {
        assertThatThrownBy(() -> new BdatChunker(writer, 0, null)).isInstanceOf(IllegalArgumentException.class);
    }

    private void record(long size, boolean last) {
        chunks.add(size + (last ? " last" : ""));
    }
}
