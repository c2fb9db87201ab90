package dev.jsmtp.message;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The message package's Content-Transfer-Encoding streams (RFC 2045 §6.7, §6.8) on 1 MiB of input per operation,
 * written in 64 KiB writes, against the JDK's {@code Base64.getMimeEncoder()} on the same bytes in the same run.
 * MB/s of input = ops/s × 1.048576.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EncoderBenchmark {

    static final int SIZE = 1 << 20;
    private static final int WRITE = 1 << 16;

    private byte[] binary;
    private byte[] latinText;
    private byte[] englishText;
    private byte[] encoded;
    private OutputStream sink;

    @Setup
    public void setUp(Blackhole blackhole) {
        binary = new byte[SIZE];
        new Random(7).nextBytes(binary);
        // Mostly-ASCII text with some accented letters and CRLF lines: what quoted-printable is chosen for.
        StringBuilder b = new StringBuilder();
        for (int line = 0; b.length() < SIZE; line++) {
            b.append("Grüße aus Zürich — où la crème brûlée est délicieuse, line ").append(line).append("\r\n");
        }
        latinText = java.util.Arrays.copyOf(b.toString().getBytes(StandardCharsets.UTF_8), SIZE);
        // English prose with one accented word a line: about 2.5% of the octets need encoding.
        b.setLength(0);
        for (int line = 0; b.length() < SIZE; line++) {
            b.append("We met at the café on the corner and talked about the quarterly numbers, line ")
                    .append(line).append("\r\n");
        }
        englishText = java.util.Arrays.copyOf(b.toString().getBytes(StandardCharsets.UTF_8), SIZE);
        encoded = new byte[(int) TransferEncoding.base64Size(SIZE)];
        sink = new OutputStream() {
            @Override
            public void write(int c) {
                blackhole.consume(c);
            }

            @Override
            public void write(byte[] bytes, int off, int len) {
                blackhole.consume(bytes[off]);
                blackhole.consume(len);
            }
        };
    }

    @Benchmark
    public void base64Jsmtp() throws IOException {
        encode(TransferEncoding.BASE64, binary);
    }

    /** German and French text: about one octet in four is non-ASCII and encoded (=C3=BC …). */
    @Benchmark
    public void quotedPrintableJsmtp() throws IOException {
        encode(TransferEncoding.QUOTED_PRINTABLE, latinText);
    }

    @Benchmark
    public void quotedPrintableJsmtpMostlyAscii() throws IOException {
        encode(TransferEncoding.QUOTED_PRINTABLE, englishText);
    }

    @Benchmark
    public byte[] base64JdkMimeEncoderArray() {
        return Base64.getMimeEncoder().encode(binary);
    }

    /** The MIME encoder without the allocation: into a reused array. */
    @Benchmark
    public byte[] base64JdkMimeEncoderIntoArray() {
        Base64.getMimeEncoder().encode(binary, encoded);
        return encoded;
    }

    /**
     * The ceiling for any base64 stream built on the JDK's encoder: its basic encoder, one call for the whole
     * input, no line breaks, into a reused array.
     */
    @Benchmark
    public byte[] base64JdkBasicEncoderIntoArray() {
        Base64.getEncoder().encode(binary, encoded);
        return encoded;
    }

    @Benchmark
    public void base64JdkMimeEncoderStream() throws IOException {
        try (OutputStream out = Base64.getMimeEncoder().wrap(sink)) {
            write(out, binary);
        }
    }

    private void encode(TransferEncoding encoding, byte[] data) throws IOException {
        try (OutputStream out = encoding.encoder(sink)) {
            write(out, data);
        }
    }

    private static void write(OutputStream out, byte[] data) throws IOException {
        for (int off = 0; off < data.length; off += WRITE) {
            out.write(data, off, Math.min(WRITE, data.length - off));
        }
    }
}
