package dev.jsmtp.hostile;

import static dev.jsmtp.hostile.Hostile.client;
import static dev.jsmtp.hostile.Hostile.sendFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jsmtp.SmtpException;
import dev.jsmtp.SmtpRejectedException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code 421 Service not available, closing transmission channel} at every step (RFC 5321 §3.8, §4.2.3): the
 * client reports a transient, typed rejection with the server's reply, and sends nothing more on that connection
 * (at most a QUIT), so nothing can be half-delivered on a channel the server is tearing down.
 */
class ServiceClosingTest {

    /** Where the server says 421. */
    enum Step {
        GREETING, EHLO, MAIL, RCPT, DATA, END_OF_DATA, BDAT
    }

    @ParameterizedTest(name = "421 at {0}")
    @EnumSource(Step.class)
    @DisplayName("421 at any step → transient SmtpRejectedException with the 421, nothing but QUIT afterwards (RFC 5321 §3.8)")
    void serviceClosingAtEveryStep(Step step) throws Exception {
        AtomicInteger bytesBefore421 = new AtomicInteger(-1);
        try (AdversarialServer server = AdversarialServer.start(p -> {
            String closing = "421 4.3.2 hostile.test shutting down";
            if (step == Step.GREETING) {
                bytesBefore421.set(0);  // nothing received yet
                p.reply(closing);
                p.awaitEof(Duration.ofSeconds(5));
                return;
            }
            p.greet();
            boolean chunking = step == Step.BDAT;
            p.expect("EHLO");
            if (step == Step.EHLO) {
                say421(p, closing, bytesBefore421);
                return;
            }
            p.reply(chunking ? Peer.ehloReply("PIPELINING", "CHUNKING", "8BITMIME") : Peer.ehloReply("8BITMIME"));
            if (chunking) {
                p.expect("MAIL");
                p.expect("RCPT");
                String bdat = p.expect("BDAT");
                p.readExactly(Long.parseLong(bdat.split(" ")[1]));
                p.reply("250 OK", "250 OK");
                say421(p, closing, bytesBefore421);
                return;
            }
            p.expect("MAIL");
            if (step == Step.MAIL) {
                say421(p, closing, bytesBefore421);
                return;
            }
            p.reply("250 OK");
            p.expect("RCPT");
            if (step == Step.RCPT) {
                say421(p, closing, bytesBefore421);
                return;
            }
            p.reply("250 OK");
            p.expect("DATA");
            if (step == Step.DATA) {
                say421(p, closing, bytesBefore421);
                return;
            }
            p.reply("354 go ahead");
            p.readUntilEndOfData();
            say421(p, closing, bytesBefore421);
        })) {
            SmtpException e = sendFails(client(server).build());
            assertThat(e).isInstanceOf(SmtpRejectedException.class);
            assertThat(((SmtpRejectedException) e).reply().code()).isEqualTo(421);
            assertThat(e.isTransient()).isTrue();
            assertThat(e.getMessage()).contains("421 4.3.2 hostile.test shutting down");
            server.awaitHandlers(Duration.ofSeconds(10));
            assertThat(bytesBefore421.get()).isNotNegative();
            String after = server.receivedText().substring(bytesBefore421.get());
            assertThat(after).as("what the client sent after the 421").isIn("", "QUIT\r\n");
        }
    }

    private static void say421(Peer p, String closing, AtomicInteger bytesBefore421) throws Exception {
        bytesBefore421.set(p.received().length);
        p.reply(closing);
        p.awaitEof(Duration.ofSeconds(5));
    }
}
