package dev.jsmtp.message;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The base64 body encoder writes exactly what {@code Base64.getMimeEncoder()} writes, however it is fed. */
class Base64OutputStreamTest {

    private static final int BLOCK = Base64OutputStream.LINES * 57;

    @Test
    void everyShortLengthMatchesTheJdkMimeEncoder() throws IOException {
        Random random = new Random(1);
        for (int length = 0; length <= 700; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            assertThat(encodeWhole(data)).as("length %d", length).isEqualTo(mime(data));
            assertThat(encodeOctetByOctet(data)).as("length %d", length).isEqualTo(mime(data));
        }
    }

    @Test
    void lengthsAroundTheInternalBlockMatchTheJdkMimeEncoder() throws IOException {
        Random random = new Random(2);
        for (int length : new int[] {BLOCK - 58, BLOCK - 57, BLOCK - 1, BLOCK, BLOCK + 1, BLOCK + 56, BLOCK + 57,
                2 * BLOCK, 2 * BLOCK + 2, 3 * BLOCK - 1, 1 << 20}) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            byte[] expected = mime(data);
            assertThat(encodeWhole(data)).as("length %d", length).isEqualTo(expected);
            assertThat(expected).hasSize((int) TransferEncoding.base64Size(length));
        }
    }

    @Test
    void outputDoesNotDependOnHowTheInputIsSplitIntoWritesAndFlushes() throws IOException {
        Random random = new Random(3);
        for (int round = 0; round < 300; round++) {
            byte[] data = new byte[random.nextInt(round < 200 ? 2000 : 4 * BLOCK)];
            random.nextBytes(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream encoder = TransferEncoding.BASE64.encoder(out)) {
                int i = 0;
                while (i < data.length) {
                    int kind = random.nextInt(10);
                    if (kind == 0) {
                        encoder.write(data[i++]);
                    } else if (kind == 1) {
                        encoder.flush();
                    } else {
                        int bound = kind == 2 ? 2 * BLOCK : 300;
                        int n = Math.min(data.length - i, random.nextInt(bound));
                        // Copy into a larger array so an offset other than zero is exercised.
                        byte[] padded = new byte[n + 10];
                        System.arraycopy(data, i, padded, 5, n);
                        encoder.write(padded, 5, n);
                        i += n;
                    }
                }
            }
            assertThat(out.toByteArray()).as("round %d, %d octets", round, data.length).isEqualTo(mime(data));
        }
    }

    @Test
    void flushWritesTheWholeLinesSoFarAndClosingLeavesTheUnderlyingStreamOpen() throws IOException {
        byte[] data = new byte[57 * 3 + 10];
        new Random(4).nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean[] closed = {false};
        OutputStream target = new OutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        OutputStream encoder = TransferEncoding.BASE64.encoder(target);
        encoder.write(data);
        encoder.flush();
        assertThat(out.toString(java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo(new String(mime(java.util.Arrays.copyOf(data, 57 * 3)),
                        java.nio.charset.StandardCharsets.US_ASCII));
        encoder.close();
        encoder.close();
        assertThat(out.toByteArray()).isEqualTo(mime(data));
        assertThat(closed[0]).isFalse();
        assertThatThrownBy(() -> encoder.write(1)).isInstanceOf(IOException.class);
    }

    private static byte[] mime(byte[] data) {
        return Base64.getMimeEncoder().encode(data);
    }

    private static byte[] encodeWhole(byte[] data) {
        return TransferEncoding.BASE64.encode(data);
    }

    private static byte[] encodeOctetByOctet(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream encoder = TransferEncoding.BASE64.encoder(out)) {
            for (byte b : data) {
                encoder.write(b);
            }
        }
        return out.toByteArray();
    }
}
