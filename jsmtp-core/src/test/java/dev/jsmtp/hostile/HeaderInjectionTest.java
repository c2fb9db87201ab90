package dev.jsmtp.hostile;

import dev.jsmtp.testing.SendOnce;

import static dev.jsmtp.hostile.Hostile.client;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jsmtp.Path;
import dev.jsmtp.message.MailMessage;
import dev.jsmtp.message.Mailbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Header injection through composed messages (MBSD 2015 §3; CWE-93; Simple Java Mail issue #88; Jakarta Mail
 * CVE-2025-7962): a subject, a header value or a display name holding CR, LF, NUL or characters that narrow to
 * them must not add a header or a recipient. Either the builder refuses the value before anything is sent, or the
 * value travels encoded (RFC 2047) and decodes back to exactly what was given: never silently rewritten.
 */
class HeaderInjectionTest {

    /** Where the hostile value goes. */
    enum Field {
        SUBJECT(v -> base().subject(v)),
        HEADER_VALUE(v -> base().subject("hi").header("X-Comment", v)),
        DISPLAY_NAME(v -> base().subject("hi").to(Mailbox.of(v, Path.of("bob@example.net"))));

        final Function<String, MailMessage.Builder> build;

        Field(Function<String, MailMessage.Builder> build) {
            this.build = build;
        }
    }

    private static MailMessage.Builder base() {
        return MailMessage.builder().from("alice@example.org").to("bob@example.net").text("Hello.\n");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hi\r\nBcc: evil@attacker.example", "hi\nBcc: evil@attacker.example",
            "hi\rBcc: evil@attacker.example", "hi\u0000Bcc: evil@attacker.example",
            "hi\u560D\u560ABcc: evil@attacker.example", "hi\r\n\r\n.\r\nMAIL FROM:<evil@attacker.example>"})
    @DisplayName("hostile subject, header value or display name → refused or encoded and decoded back; no header or recipient added (MBSD 2015, CWE-93)")
    void noHeaderOrRecipientInjected(String value) throws Exception {
        for (Field field : Field.values()) {
            MailMessage message;
            try {
                message = field.build.apply(value).build();
            } catch (IllegalArgumentException refused) {
                Hostile.assertOneLine(field + " refusal", refused.getMessage());
                continue;
            }
            try (AdversarialServer server = AdversarialServer.start(p -> {
                p.greet();
                p.ehlo("8BITMIME", "SMTPUTF8", "PIPELINING");
                p.serveTransactions();
            })) {
                Hostile.succeeds(() -> SendOnce.send(client(server), message));
                server.awaitHandlers(Duration.ofSeconds(5));
                Peer peer = server.peer();
                assertThat(peer.commands()).filteredOn(c -> c.startsWith("RCPT"))
                        .as(field + ": recipients").containsExactly("RCPT TO:<bob@example.net>");
                byte[] wire = peer.bodies().get(0);
                String decoded = new String(Bodies.undotted(wire), StandardCharsets.UTF_8);
                String headerSection = decoded.substring(0, decoded.indexOf("\r\n\r\n") + 2);
                List<String> fields = Arrays.asList(headerSection.replace("\r\n ", " ").replace("\r\n\t", "\t")
                        .split("\r\n"));
                assertThat(fields).as(field + ": header fields").noneMatch(f -> f.regionMatches(true, 0, "Bcc:", 0, 4));
                if (field != Field.DISPLAY_NAME) {
                    String name = field == Field.SUBJECT ? "Subject: " : "X-Comment: ";
                    String raw = fields.stream().filter(f -> f.startsWith(name)).findFirst().orElseThrow()
                            .substring(name.length());
                    assertThat(DecoderUtil.decodeEncodedWords(raw, org.apache.james.mime4j.codec.DecodeMonitor.SILENT)).as(field + " decodes back").isEqualTo(value);
                }
            }
        }
    }
}
