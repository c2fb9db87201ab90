package dev.jsmtp.wire;

import dev.jsmtp.EnhancedStatus;
import dev.jsmtp.Reply;
import dev.jsmtp.SmtpProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class ReplyReaderTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final String SERVER = "mx.example.org:25";

    private static ReplyReader reader(InputStream in) {
        return new ReplyReader(in, SERVER, ReplyReader.Limits.DEFAULTS, null, null);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static Stream<Arguments> validReplies() {
        return Stream.of(
                Arguments.of("250 ok\r\n", new Reply(250, Optional.empty(), List.of("ok"))),
                Arguments.of("220 mx.example.org ESMTP ready\r\n",
                        new Reply(220, Optional.empty(), List.of("mx.example.org ESMTP ready"))),
                Arguments.of("250-mx.example.org\r\n250-PIPELINING\r\n250 SIZE 1000\r\n",
                        new Reply(250, Optional.empty(), List.of("mx.example.org", "PIPELINING", "SIZE 1000"))),
                Arguments.of("550 5.1.1 User unknown\r\n",
                        new Reply(550, Optional.of(new EnhancedStatus(5, 1, 1)), List.of("5.1.1 User unknown"))),
                Arguments.of("451-4.3.0 try\r\n451 4.3.0 later\r\n",
                        new Reply(451, Optional.of(new EnhancedStatus(4, 3, 0)), List.of("4.3.0 try", "4.3.0 later"))),
                Arguments.of("250\r\n", new Reply(250, Optional.empty(), List.of(""))),
                Arguments.of("250 \r\n", new Reply(250, Optional.empty(), List.of(""))),
                Arguments.of("250-\r\n250\r\n", new Reply(250, Optional.empty(), List.of("", ""))),
                Arguments.of("250-a\n250 b\n", new Reply(250, Optional.empty(), List.of("a", "b"))),
                Arguments.of("354 Start mail input; end with <CRLF>.<CRLF>\r\n",
                        new Reply(354, Optional.empty(), List.of("Start mail input; end with <CRLF>.<CRLF>"))),
                Arguments.of("250 tab\there\r\n", new Reply(250, Optional.empty(), List.of("tab\there"))),
                Arguments.of("250 h\u00c3\u00a9llo\r\n", new Reply(250, Optional.empty(), List.of("h\u00e9llo"))),
                Arguments.of("250 bad \u00ff\u00fe utf8\r\n",
                        new Reply(250, Optional.empty(), List.of("bad \ufffd\ufffd utf8"))));
    }

    @ParameterizedTest
    @MethodSource("validReplies")
    void readsValidRepliesHoweverTheyAreSplit(String wire, Reply expected) throws IOException {
        for (SplitInput.Split split : SplitInput.splits(bytes(wire))) {
            ReplyReader reader = reader(split.open());
            assertThat(reader.read(MINUTE)).as(split.name()).isEqualTo(expected);
            assertThat(reader.buffered()).as(split.name()).isZero();
        }
    }

    @Test
    void pipelinedRepliesArrivingTogetherAreReadOneByOne() throws IOException {
        String wire = "250 2.1.0 sender ok\r\n250 2.1.5 rcpt ok\r\n550-5.1.1 no\r\n550 5.1.1 such user\r\n354 go\r\n";
        for (SplitInput.Split split : SplitInput.splits(bytes(wire))) {
            ReplyReader reader = reader(split.open());
            assertThat(reader.read(MINUTE).toString()).isEqualTo("250 2.1.0 sender ok");
            assertThat(reader.read(MINUTE).toString()).isEqualTo("250 2.1.5 rcpt ok");
            Reply refused = reader.read(MINUTE);
            assertThat(refused.code()).isEqualTo(550);
            assertThat(refused.lines()).containsExactly("5.1.1 no", "5.1.1 such user");
            assertThat(reader.read(MINUTE).code()).isEqualTo(354);
            assertThatThrownBy(() -> reader.read(MINUTE)).isInstanceOf(EOFException.class)
                    .hasMessageContaining("before a reply");
        }
    }

    @Test
    void bufferedCountsBytesReadAheadOfTheCurrentReply() throws IOException {
        ReplyReader reader = reader(new ByteArrayInputStream(bytes("220 go ahead\r\n250 injected\r\n")));
        assertThat(reader.read(MINUTE).code()).isEqualTo(220);
        assertThat(reader.buffered()).isEqualTo("250 injected\r\n".length());
    }

    @Test
    void replaceInputRefusesWhileBytesFromTheOldStreamAreBuffered() throws IOException {
        ReplyReader reader = reader(new ByteArrayInputStream(bytes("220 go ahead\r\n250 injected\r\n")));
        reader.read(MINUTE);
        assertThatThrownBy(() -> reader.replaceInput(new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("14 bytes")
                .hasMessageContaining("250 injected\\r\\n");
    }

    @Test
    void replaceInputContinuesOnTheNewStream() throws IOException {
        ReplyReader reader = reader(new ByteArrayInputStream(bytes("220 go ahead\r\n")));
        reader.read(MINUTE);
        reader.replaceInput(new ByteArrayInputStream(bytes("250-secure\r\n250 ok\r\n")));
        assertThat(reader.read(MINUTE).lines()).containsExactly("secure", "ok");
    }

    @Test
    void lineListenerSeesEachRawLineEscapedWithoutItsEnding() throws IOException {
        List<String> seen = new ArrayList<>();
        ReplyReader reader = new ReplyReader(new ByteArrayInputStream(bytes("250-a\tb\r\n250 \u001b[31mred\n")),
                SERVER, ReplyReader.Limits.DEFAULTS, null, seen::add);
        reader.read(MINUTE);
        assertThat(seen).containsExactly("250-a\\tb", "250 \\x1B[31mred");
    }

    @Test
    void lineListenerSeesAMalformedLineBeforeTheErrorSoTheTranscriptShowsIt() {
        List<String> seen = new ArrayList<>();
        ReplyReader reader = new ReplyReader(new ByteArrayInputStream(bytes("25O ok\r\n")),
                SERVER, ReplyReader.Limits.DEFAULTS, null, seen::add);
        assertThatThrownBy(() -> reader.read(MINUTE)).isInstanceOf(SmtpProtocolException.class);
        assertThat(seen).containsExactly("25O ok");
    }

    static Stream<Arguments> malformedReplies() {
        return Stream.of(
                Arguments.of("25O ok\r\n", "code is not three digits: \"25O ok\""),
                Arguments.of("2500 ok\r\n", "code is not three digits: \"2500 ok\""),
                Arguments.of("25\r\n", "code is not three digits: \"25\""),
                Arguments.of("\r\n", "code is not three digits: \"\""),
                Arguments.of(" 250 ok\r\n", "code is not three digits: \" 250 ok\""),
                Arguments.of("150 ok\r\n", "first digit of the code is not 2-5: \"150 ok\""),
                Arguments.of("650 ok\r\n", "first digit of the code is not 2-5: \"650 ok\""),
                Arguments.of("260 ok\r\n", "second digit of the code is not 0-5: \"260 ok\""),
                Arguments.of("250_ok\r\n", "code is followed by neither space nor hyphen: \"250_ok\""),
                Arguments.of("250-a\r\n550 b\r\n", "continuation line has code 550 after 250: \"550 b\""),
                Arguments.of("250-a\r\n251-b\r\n250 c\r\n", "continuation line has code 251 after 250: \"251-b\""),
                Arguments.of("250 a\u0000b\r\n", "NUL byte in reply line: \"250 a\\x00\""),
                Arguments.of("250 a\rb\r\n", "CR not followed by LF: \"250 a\\rb\""),
                Arguments.of("250 a\r\r\n", "CR not followed by LF: \"250 a\\r\\r\""),
                Arguments.of("250-a\r\n\u0000\r\n", "NUL byte in reply line: \"\\x00\""));
    }

    @ParameterizedTest
    @MethodSource("malformedReplies")
    void malformedRepliesAreProtocolErrorsQuotingTheBytesHoweverSplit(String wire, String expected) {
        for (SplitInput.Split split : SplitInput.splits(bytes(wire))) {
            Throwable thrown = catchThrowable(() -> reader(split.open()).read(MINUTE));
            assertThat(thrown).as(split.name()).isInstanceOf(SmtpProtocolException.class)
                    .hasMessage("Malformed reply, " + expected + " (" + SERVER + ")");
            assertThat(((SmtpProtocolException) thrown).server()).isEqualTo(SERVER);
        }
    }

    @Test
    void lineLongerThanTheLimitFailsOnceTheLimitIsPassed() {
        ReplyReader.Limits limits = new ReplyReader.Limits(10, 5, 1000);
        String exactly = "250 678901\r\n";
        for (SplitInput.Split split : SplitInput.splits(bytes(exactly))) {
            assertThat(read(split.open(), limits)).as(split.name()).isInstanceOf(Reply.class);
        }
        List<String[]> cases = List.of(
                new String[] {"250 6789012\r\n", "line longer than 10 bytes: \"250 6789012\""},
                new String[] {"250 6789012\n", "line longer than 10 bytes: \"250 6789012\""},
                new String[] {"250 67890123", "line longer than 10 bytes: \"250 6789012\""},
                new String[] {"250 678901234\u0000\r\n", "line longer than 10 bytes: \"250 6789012\""},
                new String[] {"250 678901\r\r\n", "CR not followed by LF: \"250 678901\\r\\r\""});
        for (String[] c : cases) {
            for (SplitInput.Split split : SplitInput.splits(bytes(c[0]))) {
                assertThat(read(split.open(), limits)).as(c[0] + " " + split.name())
                        .isInstanceOf(SmtpProtocolException.class)
                        .hasToString(SmtpProtocolException.class.getName() + ": Malformed reply, " + c[1]
                                + " (" + SERVER + ")");
            }
        }
    }

    @Test
    void moreLinesThanTheLimitFail() {
        ReplyReader.Limits limits = new ReplyReader.Limits(100, 3, 1000);
        assertThat(read(new ByteArrayInputStream(bytes("250-a\r\n250-b\r\n250 c\r\n")), limits))
                .isInstanceOf(Reply.class);
        assertThat(read(new ByteArrayInputStream(bytes("250-a\r\n250-b\r\n250-c\r\n250 d\r\n")), limits))
                .isInstanceOf(SmtpProtocolException.class)
                .hasToString(SmtpProtocolException.class.getName()
                        + ": Reply has more than 3 lines: \"250-a\\r\\n250-b\\r\\n250-c\\r\\n\" (" + SERVER + ")");
    }

    @Test
    void moreBytesThanTheLimitFail() {
        ReplyReader.Limits limits = new ReplyReader.Limits(100, 100, 20);
        assertThat(read(new ByteArrayInputStream(bytes("250-aaaaa\r\n250 bbb\r\n")), limits))
                .isInstanceOf(Reply.class);
        for (SplitInput.Split split : SplitInput.splits(bytes("250-aaaaa\r\n250 bbbb\r\n"))) {
            assertThat(read(split.open(), limits)).as(split.name()).isInstanceOf(SmtpProtocolException.class)
                    .asString().contains("Reply longer than 20 bytes");
        }
    }

    @Test
    void anEndlessLineFailsFastWithoutReadingTheFlood() {
        FloodInput flood = new FloodInput(bytes("250 "), bytes("x"), 64L << 20);
        Throwable thrown = catchThrowable(() -> reader(flood).read(MINUTE));
        assertThat(thrown).isInstanceOf(SmtpProtocolException.class).hasMessageContaining("line longer than 2048");
        assertThat(flood.delivered).isLessThan(16 * 1024);
    }

    @Test
    void anEndlessMultilineReplyFailsFastWithoutReadingTheFlood() {
        FloodInput flood = new FloodInput(new byte[0], bytes("250-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n"), 64L << 20);
        Throwable thrown = catchThrowable(() -> reader(flood).read(MINUTE));
        assertThat(thrown).isInstanceOf(SmtpProtocolException.class).hasMessageContaining("more than 512 lines");
        assertThat(flood.delivered).isLessThan(64 * 1024);
    }

    @Test
    void anEndlessStreamOfLongLinesHitsTheByteLimit() {
        String line = "250-" + "x".repeat(2000) + "\r\n";
        FloodInput flood = new FloodInput(new byte[0], bytes(line), 64L << 20);
        Throwable thrown = catchThrowable(() -> reader(flood).read(MINUTE));
        assertThat(thrown).isInstanceOf(SmtpProtocolException.class)
                .hasMessageStartingWith("Reply longer than 131072 bytes: \"250-xxx");
        assertThat(flood.delivered).isLessThan(128 * 1024 + 16 * 1024);
    }

    @Test
    void endOfStreamBeforeAnyReplyIsAnEofException() {
        assertThatThrownBy(() -> reader(new ByteArrayInputStream(new byte[0])).read(MINUTE))
                .isInstanceOf(EOFException.class)
                .hasMessage("Connection closed by " + SERVER + " before a reply");
    }

    @Test
    void endOfStreamInsideAReplySaysHowMuchHadArrived() {
        String wire = "250-first\r\n250 sec\u0007";
        for (SplitInput.Split split : SplitInput.splits(bytes(wire))) {
            assertThatThrownBy(() -> reader(split.open()).read(MINUTE)).as(split.name())
                    .isInstanceOf(EOFException.class)
                    .hasMessage("Connection closed by " + SERVER + " after 19 bytes of a partial reply: "
                            + "\"250-first\\r\\n250 sec\\x07\"");
        }
    }

    @Test
    void theTimeoutIsADeadlineForTheWholeReplyNotPerRead() {
        long[] now = {0};
        List<Integer> timeoutsSet = new ArrayList<>();
        // Drips one byte per read, each read taking a second of the fake clock.
        InputStream drip = new InputStream() {
            final byte[] data = bytes("250 this reply never ends quickly\r\n");
            int pos;

            @Override
            public int read() {
                now[0] += 1_000_000_000L;
                return data[pos++];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                b[off] = (byte) read();
                return 1;
            }
        };
        ReplyReader reader = new ReplyReader(drip, SERVER, ReplyReader.Limits.DEFAULTS, timeoutsSet::add, null,
                () -> now[0]);
        Throwable thrown = catchThrowable(() -> reader.read(Duration.ofMillis(5500)));
        assertThat(thrown).isInstanceOf(ReplyTimeoutException.class)
                .hasMessage("No complete reply from " + SERVER + " within 5500 ms; 6 bytes of a partial reply "
                        + "had arrived: \"250 th\"");
        assertThat(((ReplyTimeoutException) thrown).timeout()).isEqualTo(Duration.ofMillis(5500));
        assertThat(((ReplyTimeoutException) thrown).partialBytes()).isEqualTo(6);
        assertThat(timeoutsSet).containsExactly(5500, 4500, 3500, 2500, 1500, 500);
    }

    @Test
    @Timeout(20)
    void aServerDrippingBytesOnARealSocketCannotExtendTheDeadline() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket peer = server.accept()) {
            Thread drip = new Thread(() -> {
                try {
                    OutputStream out = peer.getOutputStream();
                    for (byte b : bytes("220-slow\r\n220 never finishes")) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(100);
                    }
                    Thread.sleep(10_000);
                } catch (IOException | InterruptedException ignored) {
                    // the test closes the connection
                }
            });
            drip.setDaemon(true);
            drip.start();
            ReplyReader reader = new ReplyReader(client.getInputStream(), SERVER, ReplyReader.Limits.DEFAULTS,
                    client::setSoTimeout, null);
            long start = System.nanoTime();
            Throwable thrown = catchThrowable(() -> reader.read(Duration.ofMillis(700)));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(thrown).isInstanceOf(ReplyTimeoutException.class)
                    .hasMessageContaining("bytes of a partial reply had arrived: \"220-sl");
            // About seven bytes arrive in 700 ms, each well within any per-read timeout.
            assertThat(((ReplyTimeoutException) thrown).partialBytes()).isBetween(4, 10);
            assertThat(millis).isBetween(690L, 700L + 1500L);
        }
    }

    @Test
    void theReadTimeoutIsNeverSetBelowOneMillisecond() throws IOException {
        long[] now = {0};
        List<Integer> timeoutsSet = new ArrayList<>();
        InputStream in = new InputStream() {
            final byte[] data = bytes("250 ok\r\n");
            int pos;

            @Override
            public int read() {
                now[0] += 999_990L; // leaves 10 ns before the deadline after the first read
                return data[pos++];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                b[off] = (byte) read();
                return 1;
            }
        };
        ReplyReader reader = new ReplyReader(in, SERVER, ReplyReader.Limits.DEFAULTS, timeoutsSet::add, null,
                () -> now[0]);
        assertThatThrownBy(() -> reader.read(Duration.ofNanos(1_000_000))).isInstanceOf(ReplyTimeoutException.class);
        assertThat(timeoutsSet).containsExactly(1, 1);
    }

    @Test
    void aSocketTimeoutBecomesAReplyTimeout() {
        InputStream silent = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new SocketTimeoutException("Read timed out");
            }
        };
        Throwable thrown = catchThrowable(() -> reader(silent).read(Duration.ofSeconds(3)));
        assertThat(thrown).isInstanceOf(ReplyTimeoutException.class)
                .hasMessage("No complete reply from " + SERVER + " within 3000 ms; nothing had arrived")
                .hasCauseInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void aCompleteBufferedReplyNeedsNoReadEvenAfterTheDeadline() throws IOException {
        long[] now = {0};
        InputStream in = new ByteArrayInputStream(bytes("250 a\r\n250 b\r\n"));
        ReplyReader reader = new ReplyReader(in, SERVER, ReplyReader.Limits.DEFAULTS, null, null, () -> now[0]);
        reader.read(Duration.ofSeconds(1));
        now[0] += 10_000_000_000L;
        assertThat(reader.read(Duration.ofNanos(1)).firstLine()).isEqualTo("b");
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> new ReplyReader.Limits(2, 1, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReplyReader.Limits(100, 0, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> reader(new ByteArrayInputStream(new byte[0])).read(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Object read(InputStream in, ReplyReader.Limits limits) {
        try {
            return new ReplyReader(in, SERVER, limits, null, null).read(MINUTE);
        } catch (IOException e) {
            return e;
        }
    }

    /** A prefix, then a pattern repeated up to {@code total} bytes, generated as read; counts what it gave. */
    static final class FloodInput extends InputStream {
        private final byte[] prefix;
        private final byte[] pattern;
        private final long total;
        long delivered;

        FloodInput(byte[] prefix, byte[] pattern, long total) {
            this.prefix = prefix;
            this.pattern = pattern;
            this.total = total;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (delivered >= total) {
                return -1;
            }
            int n = (int) Math.min(len, total - delivered);
            for (int i = 0; i < n; i++) {
                long p = delivered + i;
                b[off + i] = p < prefix.length ? prefix[(int) p] : pattern[(int) ((p - prefix.length) % pattern.length)];
            }
            delivered += n;
            return n;
        }
    }
}
