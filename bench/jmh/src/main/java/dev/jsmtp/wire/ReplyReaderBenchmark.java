package dev.jsmtp.wire;

import dev.jsmtp.Reply;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Parsing a typical multi-line EHLO reply (RFC 5321 §4.2.1) with {@link ReplyReader}, from an endless stream. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReplyReaderBenchmark {

    static final byte[] EHLO = ("250-smtp.example.org Hello [192.0.2.1], pleased to meet you\r\n"
            + "250-SIZE 52428800\r\n250-8BITMIME\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-BINARYMIME\r\n"
            + "250-SMTPUTF8\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER\r\n"
            + "250-REQUIRETLS\r\n250 HELP\r\n").getBytes(StandardCharsets.US_ASCII);

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private ReplyReader reader;

    @Setup
    public void setUp() {
        reader = new ReplyReader(new Cycling(EHLO), "bench", ReplyReader.Limits.DEFAULTS, null, null);
    }

    @Benchmark
    public Reply ehloReply() throws Exception {
        return reader.read(TIMEOUT);
    }

    /** The same octets over and over, as fast as a read can copy them. */
    static final class Cycling extends InputStream {
        private final byte[] data;
        private int position;

        Cycling(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            int b = data[position] & 0xff;
            position = (position + 1) % data.length;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = Math.min(len, data.length - position);
            System.arraycopy(data, position, b, off, n);
            position = (position + n) % data.length;
            return n;
        }
    }
}
