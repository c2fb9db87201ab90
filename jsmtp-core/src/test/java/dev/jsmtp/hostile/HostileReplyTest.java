package dev.jsmtp.hostile;

import dev.jsmtp.testing.SendOnce;

import static dev.jsmtp.hostile.Hostile.ENVELOPE;
import static dev.jsmtp.hostile.Hostile.MESSAGE;
import static dev.jsmtp.hostile.Hostile.assertNoControlCharacters;
import static dev.jsmtp.hostile.Hostile.assertOneLine;
import static dev.jsmtp.hostile.Hostile.client;
import static dev.jsmtp.hostile.Hostile.sendFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpConnectionException;
import dev.jsmtp.SmtpException;
import dev.jsmtp.SmtpProtocolException;
import dev.jsmtp.SmtpRejectedException;
import dev.jsmtp.SmtpTimeoutException;
import dev.jsmtp.TranscriptEvent;
import dev.jsmtp.wire.ReplyReader;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile replies (RFC 5321 §4.2, §4.5.3.1.5): malformed, over-long, endless, split, flooding, or carrying
 * terminal escapes. Every one ends in a typed {@link SmtpException} quickly, with bounded memory, and nothing the
 * server wrote reaches a message or transcript unescaped.
 *
 * <table>
 * <tr><th>scenario</th><th>why</th><th>reference</th></tr>
 * <tr><td>over-long line</td><td>a line must not grow without bound</td><td>RFC 5321 §4.5.3.1.5</td></tr>
 * <tr><td>endless multi-line</td><td>"250-" forever must not be read forever</td><td>RFC 5321 §4.2.1</td></tr>
 * <tr><td>mixed codes</td><td>250-... then 550 is neither success nor failure</td><td>RFC 5321 §4.2.1</td></tr>
 * <tr><td>codes out of range</td><td>only 2yz-5yz with y 0-5 exist</td><td>RFC 5321 §4.2</td></tr>
 * <tr><td>NUL, bare CR</td><td>NUL truncates C strings, bare CR desynchronises parsers</td><td>RFC 5321 §2.3.8</td></tr>
 * <tr><td>non-ASCII text</td><td>tolerated but printed escaped</td><td>RFC 5321 §4.2 textstring</td></tr>
 * <tr><td>missing CRLF</td><td>a partial reply is not a reply</td><td>RFC 5321 §2.3.8</td></tr>
 * <tr><td>split byte by byte</td><td>segmentation must not matter</td><td>RFC 5321 §4.2</td></tr>
 * <tr><td>64 MiB flood</td><td>memory-exhaustion attack on the client</td><td>CWE-400</td></tr>
 * <tr><td>terminal escapes</td><td>server text must not drive the user's terminal</td><td>CVE-2003-0063 class, CWE-150</td></tr>
 * </table>
 */
class HostileReplyTest {

    private static final long FLOOD = 64L * 1024 * 1024;

    @Test
    @DisplayName("over-long reply line (100 000 octets) → protocol error, nothing more sent (RFC 5321 §4.5.3.1.5)")
    void overLongLine() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.rawLatin1("220 " + "x".repeat(100_000) + "\r\n");
            p.awaitEof(Duration.ofSeconds(5));
        })) {
            SmtpException e = sendFails(client(server).build());
            assertThat(e).isInstanceOf(SmtpProtocolException.class).hasMessageContaining("longer than");
            assertThat(e.getMessage().length()).as("the quote of the offending line is bounded").isLessThan(1000);
            assertThat(server.receivedText()).isEmpty();
        }
    }

    @Test
    @DisplayName("endless multi-line EHLO reply \"250-\" forever → protocol error after the line/size limit (RFC 5321 §4.2.1)")
    void endlessMultiLineReply() throws Exception {
        AtomicLong sent = new AtomicLong();
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.expect("EHLO");
            sent.set(p.flood("250-SIZE 1000\r\n".getBytes(StandardCharsets.US_ASCII), FLOOD));
        })) {
            long start = System.nanoTime();
            SmtpException e = sendFails(client(server).build());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(e).isInstanceOf(SmtpProtocolException.class);
            assertThat(e.getMessage()).containsAnyOf("more than", "longer than");
            assertThat(millis).as("fails fast").isLessThan(2000);
            server.awaitHandlers(Duration.ofSeconds(10));
            assertThat(sent.get()).as("the client stopped reading long before 64 MiB").isLessThan(FLOOD);
            assertThat(server.peer().sawCommand("MAIL")).isFalse();
        }
    }

    @Test
    @DisplayName("multi-line reply whose last line has another code (250-… then 550 …) → protocol error, no MAIL (RFC 5321 §4.2.1)")
    void lastLineWithAnotherCode() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.expect("EHLO");
            p.reply("250-hostile.test", "250-PIPELINING", "550 5.7.1 actually no");
            p.awaitEof(Duration.ofSeconds(5));
        })) {
            SmtpException e = sendFails(client(server).build());
            assertThat(e).isInstanceOf(SmtpProtocolException.class).hasMessageContaining("550")
                    .hasMessageContaining("250");
            assertThat(server.peer().sawCommand("MAIL")).isFalse();
        }
    }

    @ParameterizedTest(name = "greeting \"{0}\"")
    @ValueSource(strings = {"199 too low", "600 too high", "2500 four digits", "261 second digit 6", "2x0 letter",
            "22 two digits", "220\tafter a tab"})
    @DisplayName("reply codes out of range or malformed → protocol error naming the bytes (RFC 5321 §4.2)")
    void codesOutOfRange(String greeting) throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.rawLatin1(greeting + "\r\n");
            p.awaitEof(Duration.ofSeconds(5));
        })) {
            SmtpException e = sendFails(client(server).build());
            assertThat(e).isInstanceOf(SmtpProtocolException.class).hasMessageContaining("Malformed reply");
            assertOneLine("the error", e.getMessage());
            assertThat(server.receivedText()).as("no EHLO after a malformed greeting").isEmpty();
        }
    }

    @Test
    @DisplayName("NUL byte inside a reply → protocol error, NUL shown escaped (RFC 5321 §2.3.8, CWE-158)")
    void nulByte() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.rawLatin1("220 hostile\u0000.test ready\r\n");
            p.awaitEof(Duration.ofSeconds(5));
        })) {
            SmtpException e = sendFails(client(server).build());
            assertThat(e).isInstanceOf(SmtpProtocolException.class).hasMessageContaining("NUL")
                    .hasMessageContaining("\\x00");
            assertNoControlCharacters("the error", e.getMessage());
        }
    }

    @Test
    @DisplayName("bare CR inside a reply line → protocol error, not a line break (RFC 5321 §2.3.8)")
    void bareCr() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.rawLatin1("220 hostile.test\r250 injected\r\n");
            p.awaitEof(Duration.ofSeconds(5));
        })) {
            SmtpException e = sendFails(client(server).build());
            assertThat(e).isInstanceOf(SmtpProtocolException.class).hasMessageContaining("\\r");
            assertOneLine("the error", e.getMessage());
        }
    }

    @Test
    @DisplayName("non-ASCII and invalid UTF-8 octets in reply text → tolerated, transcript shows them escaped (RFC 5321 §4.2)")
    void nonAsciiOctets() throws Exception {
        Hostile.Recorder transcript = new Hostile.Recorder();
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.expect("EHLO");
            p.rawLatin1("250-hostile.test gr\u00fc\u00dft \u00ff\u00fe\u00c3\u0028\r\n250 PIPELINING\r\n");
            p.serveTransactions();
        })) {
            SendResult result = Hostile.succeeds(() -> SendOnce.send(client(server).transcript(transcript), ENVELOPE, MESSAGE));
            assertThat(result.finalReply().code()).isEqualTo(250);
            assertThat(transcript.text()).contains("\\xFF").contains("\\xFE");
            for (TranscriptEvent event : transcript.events()) {
                assertOneLine("transcript event", event.text());
            }
        }
    }

    @Test
    @DisplayName("reply without CRLF, then the connection closes → connection error quoting the partial reply (RFC 5321 §2.3.8)")
    void missingCrlfThenClose() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.rawLatin1("220 hostile.test no line end");
            Thread.sleep(100);
            p.close();
        })) {
            SmtpException e = sendFails(client(server).build());
            assertThat(e).isInstanceOf(SmtpConnectionException.class).hasMessageContaining("no line end");
            assertThat(e.isAmbiguous()).isFalse();
        }
    }

    @Test
    @DisplayName("reply without CRLF on an open connection → greeting deadline fires (RFC 5321 §4.5.3.2)")
    void missingCrlfStays() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.rawLatin1("220 hostile.test no line end");
            p.awaitEof(Duration.ofSeconds(10));
        })) {
            long start = System.nanoTime();
            SmtpException e = sendFails(client(server).timeout(Duration.ofSeconds(1)).build());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(e).isInstanceOf(SmtpTimeoutException.class);
            assertThat(((SmtpTimeoutException) e).waitingFor()).contains("greeting");
            assertThat(millis).isBetween(900L, 3000L);
        }
    }

    @Test
    @DisplayName("every reply split byte by byte into separate segments → the session still succeeds (RFC 5321 §4.2)")
    void splitByteByByte() throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            Duration gap = Duration.ofMillis(1);
            p.drip((Peer.GREETING + "\r\n").getBytes(StandardCharsets.US_ASCII), gap);
            p.expect("EHLO");
            p.drip("250-hostile.test\r\n250-8BITMIME\r\n250 SIZE 100000\r\n".getBytes(StandardCharsets.US_ASCII), gap);
            p.expect("MAIL");
            p.drip("250 2.1.0 OK\r\n".getBytes(StandardCharsets.US_ASCII), gap);
            p.expect("RCPT");
            p.drip("250 2.1.5 OK\r\n".getBytes(StandardCharsets.US_ASCII), gap);
            p.expect("DATA");
            p.drip("354 go\r\n".getBytes(StandardCharsets.US_ASCII), gap);
            p.readUntilEndOfData();
            p.drip("250-2.0.0 OK\r\n250 2.0.0 queued as 1\r\n".getBytes(StandardCharsets.US_ASCII), gap);
            p.expect("QUIT");
            p.drip("221 bye\r\n".getBytes(StandardCharsets.US_ASCII), gap);
        })) {
            SendResult result = Hostile.succeeds(() -> SendOnce.send(client(server), ENVELOPE, MESSAGE));
            assertThat(result.finalReply().lines()).containsExactly("2.0.0 OK", "2.0.0 queued as 1");
        }
    }

    @Test
    @DisplayName("64 MiB single-line flood → protocol error in well under a second, the client reads only a bounded prefix (CWE-400)")
    void singleLineFlood() throws Exception {
        AtomicLong sent = new AtomicLong();
        try (AdversarialServer server = AdversarialServer.start(p -> {
            byte[] block = new byte[64 * 1024];
            java.util.Arrays.fill(block, (byte) 'A');
            block[0] = '2';
            block[1] = '2';
            block[2] = '0';
            block[3] = ' ';
            sent.set(p.flood(block, FLOOD));
        })) {
            long start = System.nanoTime();
            SmtpException e = sendFails(client(server).build());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(e).isInstanceOf(SmtpProtocolException.class).hasMessageContaining("longer than "
                    + ReplyReader.Limits.DEFAULTS.maxLineLength());
            assertThat(millis).isLessThan(1500);
            server.awaitHandlers(Duration.ofSeconds(10));
            assertThat(sent.get()).as("the flood stopped when the client hung up").isLessThan(FLOOD);
        }
    }

    @Test
    @DisplayName("64 MiB multi-line flood after MAIL → protocol error, fast and bounded; no RCPT follows (CWE-400)")
    void multiLineFloodAfterMail() throws Exception {
        AtomicLong sent = new AtomicLong();
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("8BITMIME");
            p.expect("MAIL");
            sent.set(p.flood(("250-" + "B".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII), FLOOD));
        })) {
            long start = System.nanoTime();
            SmtpException e = sendFails(client(server).build());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(e).isInstanceOf(SmtpProtocolException.class);
            assertThat(millis).isLessThan(1500);
            server.awaitHandlers(Duration.ofSeconds(10));
            assertThat(sent.get()).isLessThan(FLOOD);
            assertThat(server.peer().sawCommand("RCPT")).isFalse();
        }
    }

    @Test
    @DisplayName("terminal escape sequences in a refusal → error message and transcript carry them escaped (CWE-150)")
    void terminalEscapesInRefusal() throws Exception {
        String hostile = "554 5.7.1 \u001b[2J\u001b[1;31mYOUR ACCOUNT IS HACKED\u001b]0;pwned\u0007\u001b[0m";
        Hostile.Recorder transcript = new Hostile.Recorder();
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("8BITMIME");
            p.expect("MAIL");
            p.rawLatin1(hostile + "\r\n");
            p.serveTransactions();
        })) {
            SmtpException e = sendFails(client(server).transcript(transcript).build());
            assertThat(e).isInstanceOf(SmtpRejectedException.class).hasMessageContaining("\\x1B[2J")
                    .hasMessageContaining("\\x07");
            assertOneLine("the error", e.getMessage());
            for (TranscriptEvent event : transcript.events()) {
                assertOneLine("transcript event", event.text());
            }
            assertThat(transcript.text()).contains("\\x1B]0;pwned");
        }
    }

    @Test
    @DisplayName("C1 controls, bidi override and line separator in UTF-8 reply text → escaped (CVE-2021-42574 class)")
    void unicodeControlsInGreeting() throws Exception {
        String hostile = "554 gone \u009b31m \u202egnp.exe \u2028 forged line";
        Hostile.Recorder transcript = new Hostile.Recorder();
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.raw((hostile + "\r\n").getBytes(StandardCharsets.UTF_8));
            p.awaitEof(Duration.ofSeconds(5));
        })) {
            SmtpException e = sendFails(client(server).transcript(transcript).build());
            assertThat(e).isInstanceOf(SmtpRejectedException.class);
            assertOneLine("the error", e.getMessage());
            for (TranscriptEvent event : transcript.events()) {
                assertOneLine("transcript event", event.text());
            }
        }
    }
}
