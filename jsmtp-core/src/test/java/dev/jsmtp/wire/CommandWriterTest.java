package dev.jsmtp.wire;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandWriterTest {

    private final CountingStream socket = new CountingStream();
    private final CommandWriter writer = new CommandWriter(socket);

    @Test
    void buffersCommandsWithCrlfUntilFlushedAsOneFlight() throws IOException {
        writer.write("MAIL FROM:<a@example.org>");
        writer.write("RCPT TO:<b@example.org>");
        writer.write("DATA");
        assertThat(socket.bytes.size()).isZero();
        writer.flush();
        assertThat(socket.text()).isEqualTo("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
        assertThat(socket.writeCalls).isEqualTo(1);
        assertThat(writer.turns()).isEqualTo(1);
        assertThat(writer.bytesWritten()).isEqualTo(socket.bytes.size());
    }

    @Test
    void encodesUtf8() throws IOException {
        writer.write("RCPT TO:<j\u00f6rg@b\u00fccher.example>");
        writer.flush();
        assertThat(socket.bytes.toByteArray())
                .isEqualTo("RCPT TO:<j\u00f6rg@b\u00fccher.example>\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(writer.bytesWritten()).isEqualTo(33);
    }

    @Test
    void refusesLineBreaksAndNulWithoutEchoingTheArguments() {
        for (String line : new String[] {"AUTH PLAIN c2VjcmV0\r", "MAIL FROM:<a@b>\nRCPT TO:<c@d>", "NOOP \u0000x"}) {
            assertThatThrownBy(() -> writer.write(line)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("command " + line.substring(0, 4) + " contains")
                    .hasMessageNotContaining("c2VjcmV0").hasMessageNotContaining("a@b");
            assertThatThrownBy(() -> writer.writeUnlimited(line)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(writer.bytesWritten()).isZero();
    }

    @Test
    void limitsACommandLineTo512OctetsWithCrlf() throws IOException {
        writer.write("X".repeat(510));
        assertThatThrownBy(() -> writer.write("X".repeat(511))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("command XXXXXXXXXXXX is 513 octets with CRLF; the limit is 512");
        // Octets, not characters: 255 two-octet characters plus "AB" and CRLF are 514 octets.
        assertThatThrownBy(() -> writer.write("AB" + "\u00e9".repeat(255))).isInstanceOf(IllegalArgumentException.class);
        assertThat(writer.bytesWritten()).isEqualTo(512);
    }

    @Test
    void saslLinesMayBeLongerUpTo12288Octets() throws IOException {
        writer.writeUnlimited("A".repeat(12286));
        assertThatThrownBy(() -> writer.writeUnlimited("A".repeat(12287)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12289 octets");
        writer.flush();
        assertThat(socket.bytes.size()).isEqualTo(12288);
    }

    @Test
    void countsATurnOnlyForFlushesThatSendSomething() throws IOException {
        writer.flush();
        assertThat(writer.turns()).isZero();
        writer.write("EHLO client.example");
        writer.flush();
        writer.flush();
        assertThat(writer.turns()).isEqualTo(1);
        writer.data().write("body\r\n".getBytes(StandardCharsets.US_ASCII));
        writer.flush();
        assertThat(writer.turns()).isEqualTo(2);
        writer.data().write(new byte[0]);
        writer.flush();
        assertThat(writer.turns()).isEqualTo(2);
    }

    @Test
    void dataIsBufferedCountedAndClosingItLeavesTheConnectionOpen() throws IOException {
        writer.write("BDAT 5 LAST");
        OutputStream data = writer.data();
        data.write('h');
        data.write("ello".getBytes(StandardCharsets.US_ASCII), 0, 4);
        assertThat(socket.bytes.size()).isZero();
        data.close();
        assertThat(socket.closed).isFalse();
        data.flush();
        assertThat(socket.text()).isEqualTo("BDAT 5 LAST\r\nhello");
        assertThat(writer.bytesWritten()).isEqualTo(18);
        assertThat(writer.turns()).isEqualTo(1);
    }

    @Test
    void aFlightLargerThanTheBufferIsSentInFullOnFlush() throws IOException {
        for (int i = 0; i < 3000; i++) {
            writer.write("RCPT TO:<user" + i + "@example.org>");
        }
        writer.flush();
        assertThat(socket.text()).startsWith("RCPT TO:<user0@example.org>\r\n")
                .endsWith("RCPT TO:<user2999@example.org>\r\n");
        assertThat((long) socket.bytes.size()).isEqualTo(writer.bytesWritten());
    }


    @Test
    void aCommandLeavesInTheSameWriteAsTheLargeContentAfterIt() throws IOException {
        // A BDAT command and its 1 MiB chunk: the command must not go out as a tiny segment of its own.
        byte[] chunk = new byte[1 << 20];
        java.util.Arrays.fill(chunk, (byte) 'x');
        chunk[chunk.length - 1] = 'y';
        writer.write("BDAT 1048576");
        writer.data().write(chunk, 0, chunk.length);
        writer.write("BDAT 3 LAST");
        writer.data().write(new byte[] {'a', 'b', 'c'}, 0, 3);
        writer.flush();

        assertThat(socket.lengths.get(0)).isGreaterThan(14).isLessThan(chunk.length);
        assertThat(socket.text()).startsWith("BDAT 1048576\r\nxxx").endsWith("xxy" + "BDAT 3 LAST\r\nabc");
        assertThat(socket.bytes.size()).isEqualTo(14 + chunk.length + 13 + 3);
        // Whole buffers go straight from the caller's array: the buffered head, the rest of the chunk, the tail.
        assertThat(socket.writeCalls).isEqualTo(3);
        assertThat((long) socket.bytes.size()).isEqualTo(writer.bytesWritten());
    }

    @Test
    void largeWritesAfterTheFirstGoStraightToTheSocketAndNothingWaitsForAFlush() throws IOException {
        // A BDAT chunk written in 64 KiB pieces: the command and the first piece leave together, every later
        // piece (the second less what topped up the buffer) in its own write, and once the last piece is written
        // the whole chunk is on the socket, with no flush.
        byte[] piece = new byte[65_520];
        java.util.Arrays.fill(piece, (byte) 'z');
        writer.write("BDAT " + 16 * piece.length);
        for (int i = 0; i < 16; i++) {
            writer.data().write(piece, 0, piece.length);
        }
        assertThat((long) socket.bytes.size()).isEqualTo(writer.bytesWritten());
        assertThat(socket.lengths).hasSize(16);
        assertThat(socket.lengths.get(0)).isEqualTo(64 * 1024);
        assertThat(socket.text()).startsWith("BDAT 1048320\r\nzzz");
    }

    @Test
    void singleOctetsAndSmallWritesOverflowingTheBufferKeepTheirOrder() throws IOException {
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 5000; i++) {
            if (random.nextInt(4) == 0) {
                int b = 'a' + random.nextInt(26);
                writer.data().write(b);
                expected.write(b);
            } else {
                byte[] run = new byte[random.nextInt(300)];
                random.nextBytes(run);
                int off = run.length == 0 ? 0 : random.nextInt(run.length);
                writer.data().write(run, off, run.length - off);
                expected.write(run, off, run.length - off);
            }
        }
        writer.flush();
        assertThat(socket.bytes.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(socket.lengths).allMatch(n -> n <= 64 * 1024);
    }
    static final class CountingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final java.util.List<Integer> lengths = new java.util.ArrayList<>();
        int writeCalls;
        boolean closed;

        @Override
        public void write(int b) {
            writeCalls++;
            lengths.add(1);
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writeCalls++;
            lengths.add(len);
            bytes.write(b, off, len);
        }

        @Override
        public void close() {
            closed = true;
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
