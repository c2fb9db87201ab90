package dev.jsmtp.postfix;

import dev.jsmtp.MessageContent;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpConnection;
import dev.jsmtp.message.Attachment;
import dev.jsmtp.message.MailMessage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.OptionalLong;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages composed by the message layer (RFC 5322, MIME) through Postfix: a 5,000-character line, which the
 * writer must encode so no line passes 998 octets, and a 10 MiB attachment streamed from a supplier. What Postfix
 * delivers must equal, octet for octet, what the message layer writes for the extensions the server announced.
 */
class PostfixMessageIT extends PostfixSupport {

    @Test
    void aLongLineAndATenMebibyteAttachmentArriveAsComposed(PostfixServer postfix) throws Exception {
        byte[] data = new byte[10 * 1024 * 1024];
        new Random(7).nextBytes(data);
        String rcpt = unique("composed");
        MailMessage message = MailMessage.builder()
                .from("Sender <sender@example.org>")
                .to(rcpt)
                .subject("從零開始的 SMTP：以 Python 為例")
                .text("x".repeat(5000) + "\n.\nend\n")
                .attach(Attachment.of("從零開始.bin", () -> new java.io.ByteArrayInputStream(data),
                        "application/octet-stream", OptionalLong.of(data.length)))
                .build();

        SmtpClient client = submissions(postfix).build();
        SendResult result;
        byte[] sent;
        try (client; SmtpConnection connection = client.connect(SmtpConnection.Stage.AUTH)) {
            MessageContent adapted = message.content().adaptTo(connection.extensions());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            adapted.writeTo(out);
            sent = out.toByteArray();
            // Send exactly the octets captured above (a composed message draws fresh MIME boundaries per adaptation).
            result = connection.send(message.envelope(), adapted);
        }

        DeliveredMessage delivered = postfix.awaitMessage(PostfixServer.queueId(result.finalReply().text()), WAIT);
        assertSameOctets(delivered.withoutTraceHeaders(), sent);
        for (String line : new String(sent, java.nio.charset.StandardCharsets.ISO_8859_1).split("\r\n")) {
            assertThat(line.length()).as("line length").isLessThanOrEqualTo(998);
        }
        assertThat(sent.length).isGreaterThan(data.length);
    }
}
