package dev.jsmtp.hostile;

import dev.jsmtp.testing.SendOnce;

import static dev.jsmtp.hostile.Hostile.ENVELOPE;
import static dev.jsmtp.hostile.Hostile.MESSAGE;
import static dev.jsmtp.hostile.Hostile.client;
import static dev.jsmtp.hostile.Hostile.fails;
import static dev.jsmtp.hostile.Hostile.sendFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jsmtp.MessageContent;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpConnectionException;
import dev.jsmtp.SmtpException;
import dev.jsmtp.SmtpTimeoutException;
import dev.jsmtp.Timeouts;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Servers that are slow, silent, stop reading or vanish (RFC 5321 §4.5.3.2 timeouts, §3.8 termination). Each
 * configured deadline fires on time, even against a server that drips one byte a second; a connection lost after
 * the end of data is reported as ambiguous (the message may have been taken), before it as transient.
 *
 * <table>
 * <tr><th>scenario</th><th>why</th><th>reference</th></tr>
 * <tr><td>silent server</td><td>a client must not wait forever</td><td>RFC 5321 §4.5.3.2</td></tr>
 * <tr><td>one byte a second</td><td>per-read timeouts let a drip extend a wait forever (slowloris)</td><td>RFC 5321 §4.5.3.2, CWE-400</td></tr>
 * <tr><td>zero window in DATA/BDAT</td><td>a write blocked by a shut TCP window must time out</td><td>RFC 5321 §4.5.3.2 "data block"</td></tr>
 * <tr><td>close at each step</td><td>typed, transient, not ambiguous before the end of data</td><td>RFC 5321 §3.8</td></tr>
 * <tr><td>close or silence after the final dot</td><td>the outcome is unknown: never retried blindly</td><td>RFC 5321 §4.5.3.2 (final reply), RFC 1047</td></tr>
 * </table>
 */
class DeadlineAndDisconnectTest {

    private static final Duration SHORT = Duration.ofMillis(1500);
    private static final long BIG = 64L * 1024 * 1024;

    /** Every wait {@code all}, except a stalled write, which waits {@code write}. */
    static Timeouts timeouts(Duration all, Duration write) {
        return new Timeouts(all, all, all, all, all, all, all, all, all, write, all, all, Optional.empty());
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    @DisplayName("server that never sends a greeting → greeting deadline fires (RFC 5321 §4.5.3.2)")
    void silentServer() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> p.awaitEof(Duration.ofSeconds(20)))) {
            long start = System.nanoTime();
            SmtpException e = sendFails(client(server).timeout(SHORT).build());
            assertThat(e).isInstanceOf(SmtpTimeoutException.class);
            assertThat(((SmtpTimeoutException) e).waitingFor()).contains("greeting");
            assertThat(e.isTransient()).isTrue();
            assertThat(millisSince(start)).isBetween(1400L, 4000L);
        }
    }

    @Test
    @DisplayName("greeting dripped one byte per second → the deadline covers the whole reply, not each byte (slowloris)")
    void greetingDrippedOneBytePerSecond() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p ->
                p.drip((Peer.GREETING + "\r\n").getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(1)))) {
            long start = System.nanoTime();
            SmtpException e = sendFails(client(server).timeout(SHORT).build());
            assertThat(e).isInstanceOf(SmtpTimeoutException.class);
            assertThat(((SmtpTimeoutException) e).waitingFor()).contains("greeting");
            assertThat(millisSince(start)).as("1.5 s deadline, not 30 s of dripping").isBetween(1400L, 4000L);
        }
    }

    @Test
    @DisplayName("multi-line EHLO reply dripped one byte per second → the EHLO deadline fires (slowloris)")
    void ehloReplyDripped() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.expect("EHLO");
            p.drip("250-hostile.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n".getBytes(StandardCharsets.US_ASCII),
                    Duration.ofMillis(500));
        })) {
            long start = System.nanoTime();
            SmtpException e = sendFails(client(server).timeout(SHORT).build());
            assertThat(e).isInstanceOf(SmtpTimeoutException.class);
            assertThat(((SmtpTimeoutException) e).waitingFor()).contains("EHLO");
            assertThat(millisSince(start)).isBetween(1400L, 4000L);
            assertThat(server.peer().sawCommand("MAIL")).isFalse();
        }
    }

    @Test
    @DisplayName("server stops reading in the middle of DATA (zero window) → the write deadline fires, not ambiguous")
    void zeroWindowInData() throws Exception {
        try (AdversarialServer server = AdversarialServer.withReceiveBuffer(4096, p -> {
            p.greet();
            p.ehlo("8BITMIME");
            p.expect("MAIL");
            p.reply("250 OK");
            p.expect("RCPT");
            p.reply("250 OK");
            p.expect("DATA");
            p.reply("354 go ahead");
            p.stallUntilTestEnds();
        })) {
            SmtpClient client = client(server).timeouts(timeouts(Duration.ofSeconds(5), Duration.ofSeconds(1)))
                    .build();
            long start = System.nanoTime();
            SmtpException e = fails(() -> client.send(ENVELOPE, Bodies.large(BIG)));
            assertThat(e).isInstanceOf(SmtpTimeoutException.class);
            assertThat(((SmtpTimeoutException) e).timeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(e.isAmbiguous()).isFalse();
            assertThat(millisSince(start)).as("1 s write deadline").isLessThan(4000L);
        }
    }

    @Test
    @DisplayName("server stops reading in the middle of BDAT (zero window) → the write deadline fires, not ambiguous (RFC 3030)")
    void zeroWindowInBdat() throws Exception {
        try (AdversarialServer server = AdversarialServer.withReceiveBuffer(4096, p -> {
            p.greet();
            p.ehlo("PIPELINING", "CHUNKING", "8BITMIME");
            p.expect("MAIL");
            p.expect("RCPT");
            p.reply("250 OK", "250 OK");
            p.expect("BDAT");
            p.stallUntilTestEnds();
        })) {
            SmtpClient client = client(server).timeouts(timeouts(Duration.ofSeconds(5), Duration.ofSeconds(1)))
                    .build();
            long start = System.nanoTime();
            SmtpException e = fails(() -> client.send(ENVELOPE, Bodies.large(BIG)));
            assertThat(e).isInstanceOf(SmtpTimeoutException.class);
            assertThat(((SmtpTimeoutException) e).timeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(e.isAmbiguous()).isFalse();
            assertThat(millisSince(start)).isLessThan(4000L);
        }
    }

    @Test
    @DisplayName("connection closed right after the greeting → connection error, transient, not ambiguous (RFC 5321 §3.8)")
    void closeAfterGreeting() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.close();
        })) {
            SmtpException e = sendFails(client(server).build());
            assertThat(e).isInstanceOf(SmtpConnectionException.class);
            assertThat(e.isTransient()).isTrue();
            assertThat(e.isAmbiguous()).isFalse();
        }
    }

    @Test
    @DisplayName("connection closed after MAIL without a reply → connection error naming MAIL, not ambiguous (RFC 5321 §3.8)")
    void closeAfterMail() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("8BITMIME");
            p.expect("MAIL");
            p.close();
        })) {
            SmtpException e = sendFails(client(server).build());
            assertThat(e).isInstanceOf(SmtpConnectionException.class).hasMessageContaining("MAIL");
            assertThat(e.isTransient()).isTrue();
            assertThat(e.isAmbiguous()).isFalse();
        }
    }

    @Test
    @DisplayName("connection reset in the middle of DATA → connection error, not ambiguous: no end of data was sent")
    void resetInTheMiddleOfData() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("8BITMIME");
            p.expect("MAIL");
            p.reply("250 OK");
            p.expect("RCPT");
            p.reply("250 OK");
            p.expect("DATA");
            p.reply("354 go ahead");
            p.readExactly(256 * 1024);
            p.reset();
        })) {
            SmtpException e = fails(() -> SendOnce.send(client(server), ENVELOPE, Bodies.large(BIG)));
            assertThat(e).isInstanceOf(SmtpConnectionException.class);
            assertThat(e.isAmbiguous()).isFalse();
            assertThat(e.isTransient()).isTrue();
        }
    }

    @Test
    @DisplayName("connection reset in the middle of BDAT → connection error, not ambiguous (RFC 3030)")
    void resetInTheMiddleOfBdat() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("PIPELINING", "CHUNKING", "8BITMIME");
            p.expect("MAIL");
            p.expect("RCPT");
            p.reply("250 OK", "250 OK");
            p.expect("BDAT");
            p.readExactly(32 * 1024);
            p.reset();
        })) {
            SmtpException e = fails(() -> SendOnce.send(client(server), ENVELOPE, Bodies.large(BIG)));
            assertThat(e).isInstanceOf(SmtpConnectionException.class);
            assertThat(e.isAmbiguous()).isFalse();
            assertThat(e.isTransient()).isTrue();
        }
    }

    @Test
    @DisplayName("connection closed after the final dot, no reply → ambiguous: may have been delivered, never retried (RFC 1047)")
    void closeAfterFinalDot() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("8BITMIME");
            p.expect("MAIL");
            p.reply("250 OK");
            p.expect("RCPT");
            p.reply("250 OK");
            p.expect("DATA");
            p.reply("354 go ahead");
            p.readUntilEndOfData();
            p.close();
        })) {
            SmtpException e = sendFails(client(server).build());
            assertThat(e).isInstanceOf(SmtpConnectionException.class);
            assertThat(((SmtpConnectionException) e).endOfDataSent()).isTrue();
            assertThat(e.isAmbiguous()).isTrue();
            assertThat(e.isTransient()).as("an ambiguous outcome must not invite a blind retry").isFalse();
            assertThat(e.getMessage()).contains("may or may not have been accepted");
        }
    }

    @Test
    @DisplayName("connection closed after BDAT LAST, no reply → ambiguous (RFC 3030, RFC 1047)")
    void closeAfterBdatLast() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("PIPELINING", "CHUNKING", "8BITMIME");
            p.expect("MAIL");
            p.expect("RCPT");
            String bdat = p.expect("BDAT");
            assertThat(bdat).endsWith("LAST");
            p.readExactly(Long.parseLong(bdat.split(" ")[1]));
            p.close();
        })) {
            SmtpException e = sendFails(client(server).build());
            assertThat(e.isAmbiguous()).isTrue();
            assertThat(e.isTransient()).isFalse();
        }
    }

    @Test
    @DisplayName("final reply never comes after the dot → final-reply deadline fires, ambiguous (RFC 5321 §4.5.3.2)")
    void silenceAfterFinalDot() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("8BITMIME");
            p.expect("MAIL");
            p.reply("250 OK");
            p.expect("RCPT");
            p.reply("250 OK");
            p.expect("DATA");
            p.reply("354 go ahead");
            p.readUntilEndOfData();
            p.awaitEof(Duration.ofSeconds(20));
        })) {
            long start = System.nanoTime();
            SmtpException e = sendFails(client(server).timeout(SHORT).build());
            assertThat(e).isInstanceOf(SmtpTimeoutException.class);
            assertThat(((SmtpTimeoutException) e).waitingFor()).contains("end of data");
            assertThat(e.isAmbiguous()).isTrue();
            assertThat(e.isTransient()).isFalse();
            assertThat(millisSince(start)).isBetween(1400L, 4000L);
        }
    }

    @Test
    @DisplayName("reply to MAIL dripped one byte per second → the MAIL deadline fires and nothing more is sent (slowloris)")
    void mailReplyDripped() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("8BITMIME");
            p.expect("MAIL");
            p.drip("250 2.1.0 Sender OK, take your time\r\n".getBytes(StandardCharsets.US_ASCII),
                    Duration.ofSeconds(1));
        })) {
            long start = System.nanoTime();
            MessageContent content = MESSAGE;
            SmtpException e = fails(() -> SendOnce.send(client(server).timeout(SHORT), ENVELOPE, content));
            assertThat(e).isInstanceOf(SmtpTimeoutException.class);
            assertThat(((SmtpTimeoutException) e).waitingFor()).contains("MAIL");
            assertThat(millisSince(start)).isBetween(1400L, 4000L);
            assertThat(server.peer().sawCommand("RCPT")).isFalse();
        }
    }
}
