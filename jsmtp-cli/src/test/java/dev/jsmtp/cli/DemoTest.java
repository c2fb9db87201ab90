package dev.jsmtp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jsmtp demo} in-process: the walk-through's conversation over implicit TLS, and the message read back. */
class DemoTest {

    @TempDir
    Path home;

    @Test
    void runsTheWalkThroughAndReadsTheMessageBack() {
        TestCli t = new TestCli(home);
        assertThat(t.run("demo")).as(t.err()).isZero();
        String out = t.out();
        assertThat(out).contains("*  TLS TLSv1.3")
                .containsSubsequence("S: 220 ", "C: EHLO ", "C: AUTH LOGIN", "S: 334 VXNlcm5hbWU6", "C: ****",
                        "S: 334 UGFzc3dvcmQ6", "C: ****", "S: 235 ", "C: MAIL FROM:<demo@localhost>",
                        "C: RCPT TO:<demo@localhost>", "C: DATA", "S: 354 ", "S: 250 ", "C: QUIT", "S: 221 ")
                .contains("The server's mailbox now holds 1 message(s)")
                .contains("Subject: Hello from jsmtp")
                .contains("This message went over implicit TLS");
        String password = out.replaceAll("(?s).*Test account: demo / (\\S+).*", "$1");
        assertThat(password).hasSize(16);
        assertThat(out.substring(out.indexOf("The conversation"))).doesNotContain(password)
                .doesNotContain(java.util.Base64.getEncoder().encodeToString(password.getBytes()));
    }
}
