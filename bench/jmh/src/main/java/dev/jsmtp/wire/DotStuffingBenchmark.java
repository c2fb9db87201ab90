package dev.jsmtp.wire;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * CRLF-normalising dot-stuffing (RFC 5321 §4.5.2) of 1 MiB of message text per operation, written in 64 KiB
 * writes as a message streamed from a file would be; MB/s = ops/s × 1.048576. {@code lineEndings} is the input's:
 * already CRLF (the common case) or bare LF (a Unix file, every line rewritten). One line in 40 starts with '.'.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DotStuffingBenchmark {

    static final int SIZE = 1 << 20;
    private static final int WRITE = 1 << 16;

    @Param({"crlf", "lf"})
    public String lineEndings;

    private byte[] text;
    private OutputStream sink;

    @Setup
    public void setUp(Blackhole blackhole) {
        text = text(lineEndings.equals("crlf") ? "\r\n" : "\n");
        sink = new OutputStream() {
            @Override
            public void write(int b) {
                blackhole.consume(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                blackhole.consume(b[off]);
                blackhole.consume(len);
            }
        };
    }

    @Benchmark
    public void dotStuff() throws IOException {
        DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
        for (int off = 0; off < text.length; off += WRITE) {
            out.write(text, off, Math.min(WRITE, text.length - off));
        }
        out.finish();
    }

    static byte[] text(String eol) {
        StringBuilder b = new StringBuilder(SIZE + 100);
        for (int line = 0; b.length() < SIZE; line++) {
            if (line % 40 == 0) {
                b.append('.');
            }
            b.append("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor ")
                    .append(line).append(eol);
        }
        b.setLength(SIZE);
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
