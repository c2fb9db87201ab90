package dev.jsmtp.postfix;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveredMessageTest {

    private static DeliveredMessage delivered(String text) {
        return new DeliveredMessage("4F2C120C37A", "a@example.org", List.of("b@example.com"),
                text.getBytes(StandardCharsets.UTF_8));
    }

    private static String stripped(String text) {
        return new String(delivered(text).withoutTraceHeaders(), StandardCharsets.UTF_8);
    }

    @Test
    void dropsPostfixsFoldedReceivedHeaderOnly() {
        String sent = "Subject: hi\r\nReceived: from inner (sent by the client)\r\n\r\nbody\r\n";
        String text = "Received: from [127.0.0.1] (localhost [127.0.0.1])\r\n"
                + "\tby jsmtp-postfix.test (Postfix) with ESMTPSA id 4F2C120C37A\r\n"
                + "\tfor <b@example.com>; Thu, 26 Nov 2026 07:38:18 +0000 (UTC)\r\n" + sent;
        assertThat(stripped(text)).isEqualTo(sent);
        assertThat(delivered(text).traceHeader()).isEqualTo("Received: from [127.0.0.1] (localhost [127.0.0.1])"
                + " by jsmtp-postfix.test (Postfix) with ESMTPSA id 4F2C120C37A"
                + " for <b@example.com>; Thu, 26 Nov 2026 07:38:18 +0000 (UTC)");
    }

    @Test
    void dropsEveryLeadingReceivedHeaderAndKeepsLookalikes() {
        String sent = "Received-SPF: pass\r\nSubject: x\r\n\r\nReceived: in the body\r\n";
        assertThat(stripped("Received: one\r\n two\r\nreceived: three\r\n" + sent)).isEqualTo(sent);
        assertThat(stripped(sent)).isEqualTo(sent);
    }

    @Test
    void theQueueIdComesFromPostfixsFinalReply() {
        assertThat(PostfixServer.queueId("2.0.0 Ok: queued as 4F2C120C37A")).isEqualTo("4F2C120C37A");
        assertThatThrownBy(() -> PostfixServer.queueId("2.0.0 Ok")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isACopyThatCannotBeChangedFromOutside() {
        byte[] bytes = "x\r\n".getBytes(StandardCharsets.US_ASCII);
        DeliveredMessage m = new DeliveredMessage("Q", "", List.of("b@example.com"), bytes);
        bytes[0] = 'y';
        m.bytes()[0] = 'z';
        assertThat(m.text()).isEqualTo("x\r\n");
    }
}
