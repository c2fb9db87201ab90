package dev.jsmtp.cli;

import dev.jsmtp.TranscriptEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TranscriptPrinterTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void printsDirectionAndTimeSinceTheFirstEvent() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TranscriptPrinter p = new TranscriptPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        p.onEvent(new TranscriptEvent(T0, TranscriptEvent.Kind.CONNECTION, "connected to 127.0.0.1:465"));
        p.onEvent(new TranscriptEvent(T0.plusMillis(12), TranscriptEvent.Kind.SERVER, "220 mx ESMTP"));
        p.onEvent(new TranscriptEvent(T0.plusMillis(1013), TranscriptEvent.Kind.CLIENT, "EHLO [127.0.0.1]"));
        p.onEvent(new TranscriptEvent(T0.plusMillis(1500), TranscriptEvent.Kind.CONTENT, "(412 octets)"));
        assertThat(bytes.toString(StandardCharsets.UTF_8).split("\n")).containsExactly(
                "[+0.000] *  connected to 127.0.0.1:465",
                "[+0.012] S: 220 mx ESMTP",
                "[+1.013] C: EHLO [127.0.0.1]",
                "[+1.500] >  (412 octets)");
    }

    @Test
    void controlCharactersThatSlipThroughAreEscapedButEscapesAreNotDoubled() {
        TranscriptEvent hostile = new TranscriptEvent(T0, TranscriptEvent.Kind.SERVER,
                "250 ok\r\n\u001b[2JS: 250 forged \\r kept");
        String line = TranscriptPrinter.format(hostile, java.time.Duration.ZERO);
        assertThat(line).isEqualTo("[+0.000] S: 250 ok\\r\\n\\x1B[2JS: 250 forged \\r kept");
        assertThat(line).doesNotContain("\r").doesNotContain("\n").doesNotContain("\u001b");
    }
}
