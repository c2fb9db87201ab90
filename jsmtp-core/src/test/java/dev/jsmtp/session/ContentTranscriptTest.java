package dev.jsmtp.session;

import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.TlsMode;
import dev.jsmtp.TranscriptEvent;
import dev.jsmtp.testing.ScriptedServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Message content in the transcript: one summary line by default, every line (escaped) when asked for. */
class ContentTranscriptTest {

    private static final String SCRIPT = String.join("\n",
            "S: 220 mx.example.org", "C: EHLO client.example", "S: 250 mx.example.org",
            "C: MAIL FROM:<alice@example.org>", "S: 250 Ok", "C: RCPT TO:<bob@example.org>", "S: 250 Ok",
            "C: DATA", "S: 354 go", "C: Subject: hi", "C: ", "C: ..dot line", "C: bell\u0007", "C: .",
            "S: 250 Ok", "C: QUIT", "S: 221 Bye");

    private static List<TranscriptEvent> send(boolean content) throws Exception {
        List<TranscriptEvent> events = new CopyOnWriteArrayList<>();
        try (ScriptedServer server = ScriptedServer.start(SCRIPT);
             SmtpClient client = SmtpClient.builder("127.0.0.1").port(server.port()).tlsMode(TlsMode.NONE)
                     .clientName("client.example").timeout(Duration.ofSeconds(5)).transcript(events::add)
                     .transcribeContent(content).build()) {
            client.send(Envelope.of("alice@example.org", "bob@example.org"),
                    MessageContent.of("Subject: hi\n\n.dot line\nbell\u0007"));
            client.close();
            server.awaitDone(Duration.ofSeconds(10));
        }
        return events.stream().filter(e -> e.kind() == TranscriptEvent.Kind.CONTENT).toList();
    }

    @Test
    void contentIsSummarisedByDefault() throws Exception {
        assertThat(send(false)).extracting(TranscriptEvent::text).containsExactly("(message content, 33 octets)");
    }

    @Test
    void contentLinesAreShownEscapedWhenAskedFor() throws Exception {
        assertThat(send(true)).extracting(TranscriptEvent::text)
                .containsExactly("(message content, 33 octets)", "Subject: hi", "", ".dot line", "bell\\x07");
    }
}
