package dev.jsmtp.session;

import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;
import dev.jsmtp.SmtpConnection;
import dev.jsmtp.Timeouts;
import dev.jsmtp.TlsMode;
import dev.jsmtp.TranscriptListener;
import dev.jsmtp.tls.TlsSettings;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * RFC 2920 §3.1's deadlock: a flight of whole transactions against a server that stops reading after EHLO.
 * The client must not block for ever on a write; it fails within its write timeout, and only the transactions
 * whose end of data was wholly handed to the socket are ambiguous — the rest were never sent and may be retried.
 */
class PipelinedFlightStalledServerTest {

    @Test
    void aServerThatNeverReadsFailsTheFlightWithinTheWriteTimeout() throws Exception {
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReceiveBufferSize(4096); // a small window, so the client's writes block early
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CountDownLatch done = new CountDownLatch(1);
            Thread server = new Thread(() -> {
                try (Socket s = listener.accept()) {
                    OutputStream out = s.getOutputStream();
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.US_ASCII));
                    out.write("220 mx.example.org ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                    in.readLine(); // EHLO
                    out.write("250-mx.example.org\r\n250-PIPELINING\r\n250 CHUNKING\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    done.await(30, TimeUnit.SECONDS); // and never reads again
                } catch (Exception ignored) {
                    // The test has ended.
                }
            }, "never-reading-server");
            server.setDaemon(true);
            server.start();
            SessionConfig config = new SessionConfig("127.0.0.1", listener.getLocalPort(), TlsMode.NONE,
                    TlsSettings.builder().build(), Optional.empty(), Optional.empty(), true, false,
                    Optional.of("client.example"), Timeouts.all(Duration.ofSeconds(1)), TranscriptListener.NONE,
                    false, false, true, true);
            String body = "Subject: big\r\n\r\n" + "x".repeat(76).concat("\r\n").repeat(780); // about 60 KiB
            List<PipelinedBatch.Item> items = IntStream.range(0, 100)
                    .mapToObj(i -> new PipelinedBatch.Item(Envelope.of("a@example.org", "r" + i + "@example.org"),
                            MessageContent.of(body))).toList();
            try {
                Session session = Session.open(config);
                session.advanceTo(SmtpConnection.Stage.AUTH);
                long start = System.nanoTime();
                PipelinedBatch.Result result = assertTimeoutPreemptively(Duration.ofSeconds(20),
                        () -> PipelinedBatch.run(session, items));
                // About the write timeout (1 s), not the sum of every wait: the flight fails once.
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
                assertThat(result.outcomes()).hasSize(items.size()).allMatch(o -> o.failure() != null);
                // Ambiguous are only a first run of messages, those wholly handed to the socket before it failed
                // (the kernel may buffer megabytes); the later flight never left and may be retried.
                List<Boolean> ambiguous = result.outcomes().stream().map(o -> o.failure().isAmbiguous()).toList();
                assertThat(ambiguous.subList(ambiguous.indexOf(false), ambiguous.size())).containsOnly(false);
                assertThat(ambiguous.subList(PipelinedBatch.MAX_UNREAD_REPLIES / 4, items.size())).containsOnly(false);
                assertThat(result.outcomes().get(items.size() - 1).failure().isTransient()).isTrue();
                assertThat(session.isUsable()).isFalse();
            } finally {
                done.countDown();
            }
        }
    }
}
