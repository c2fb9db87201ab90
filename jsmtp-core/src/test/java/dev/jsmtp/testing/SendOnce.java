package dev.jsmtp.testing;

import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.message.MailMessage;

import java.io.IOException;

/**
 * Sends one message with a client of its own and closes it, so the pooled connection ends with QUIT at once —
 * what a test that plays one conversation wants.
 */
public final class SendOnce {

    private SendOnce() {
    }

    public static SendResult send(SmtpClient.Builder builder, Envelope envelope, MessageContent content)
            throws IOException {
        try (SmtpClient client = builder.build()) {
            return client.send(envelope, content);
        }
    }

    public static SendResult send(SmtpClient.Builder builder, MailMessage message) throws IOException {
        try (SmtpClient client = builder.build()) {
            return client.send(message);
        }
    }
}
