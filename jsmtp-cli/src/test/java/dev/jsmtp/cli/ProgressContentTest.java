package dev.jsmtp.cli;

import dev.jsmtp.MessageContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressContentTest {

    @TempDir
    Path dir;

    private static MessageContent big() {
        byte[] body = new byte[3 << 20];
        Arrays.fill(body, (byte) 'a');
        for (int i = 100; i < body.length; i += 100) {
            body[i] = '\n';
        }
        return MessageContent.of(body);
    }

    @Test
    void drawnOnlyOnATerminalForMessagesOverOneMebibyte() {
        TestCli t = new TestCli(dir);
        t.stderrIsTerminal = true;
        assertThat(ProgressContent.wrap(big(), t.cli())).isInstanceOf(ProgressContent.class);
        assertThat(ProgressContent.wrap(MessageContent.of("Subject: s\r\n\r\nsmall\r\n"), t.cli()))
                .isNotInstanceOf(ProgressContent.class);
        t.stderrIsTerminal = false;
        assertThat(ProgressContent.wrap(big(), t.cli())).isNotInstanceOf(ProgressContent.class);
    }

    @Test
    void passesEveryByteThroughAndEndsAtOneHundredPercent() throws Exception {
        MessageContent content = big();
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        long[] now = {0};
        ProgressContent p = new ProgressContent(content, new PrintStream(terminal, true, StandardCharsets.UTF_8),
                () -> now[0] += 50_000_000L);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        p.writeTo(sent);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        content.writeTo(expected);
        assertThat(sent.toByteArray()).isEqualTo(expected.toByteArray());
        String drawn = terminal.toString(StandardCharsets.UTF_8);
        assertThat(drawn).startsWith("\r[").endsWith("\n").contains("100% 3.0/3.0 MiB").contains("0s left");
    }

    @Test
    void lineShowsBytesRateAndTimeLeft() {
        assertThat(ProgressContent.line(1 << 20, 4 << 20, 1_000_000_000L))
                .isEqualTo("[#######                       ]  25% 1.0/4.0 MiB 1.0 MiB/s 3s left");
    }
}
