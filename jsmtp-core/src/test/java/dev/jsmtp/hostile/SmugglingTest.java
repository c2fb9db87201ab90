package dev.jsmtp.hostile;

import dev.jsmtp.testing.SendOnce;

import static dev.jsmtp.hostile.Hostile.ENVELOPE;
import static dev.jsmtp.hostile.Hostile.client;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jsmtp.MessageContent;
import dev.jsmtp.SendResult;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SMTP smuggling (SEC Consult, December 2023; CVE-2023-51764 Postfix, CVE-2023-51765 Sendmail, CVE-2023-51766
 * Exim): message content holding a non-CRLF end-of-data sequence such as {@code \n.\n} must never reach the wire
 * in a form any server could read as the end of the data. A server that records the raw octets checks, for DATA
 * (with and without PIPELINING) and for BDAT, that what arrives is CRLF-clean (RFC 5321 §2.3.8), dot-stuffed
 * where DATA needs it (§4.5.2), has exactly one end marker, and decodes back to the CRLF-normalised input.
 */
class SmugglingTest {

    private static final String HEADER = "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: smuggling\r\n\r\n";

    /** How the body travels. */
    enum Mode {
        DATA_PIPELINED("PIPELINING", "8BITMIME"),
        DATA_LOCKSTEP("8BITMIME"),
        BDAT("PIPELINING", "CHUNKING", "8BITMIME");

        final String[] extensions;

        Mode(String... extensions) {
            this.extensions = extensions;
        }
    }

    /** The body shapes, each with what it tests. */
    static List<String[]> bodies() {
        return List.of(
                new String[] {"bare LF line endings", "line one\nline two\n"},
                new String[] {"bare CR line endings", "line one\rline two\r"},
                new String[] {"\\n.\\n then a smuggled MAIL", "before\n.\nMAIL FROM:<evil@attacker.example>\nafter\n"},
                new String[] {"\\r.\\r then a smuggled MAIL", "before\r.\rMAIL FROM:<evil@attacker.example>\rafter\r"},
                new String[] {"\\n.\\r\\n then a smuggled RCPT", "before\n.\r\nRCPT TO:<victim@example.net>\r\n"},
                new String[] {"\\r.\\n then a smuggled DATA", "before\r.\nDATA\nafter\n"},
                new String[] {"a lone . line (CRLF)", "before\r\n.\r\nafter\r\n"},
                new String[] {"a . at the very end without newline", "before\r\n."},
                new String[] {"no final newline", "the last line has no end"},
                new String[] {"body starting with a lone . line", ".\r\nMAIL FROM:<evil@attacker.example>\r\n"},
                new String[] {"dots: .., . space, .x", "..\r\n. \r\n.x\r\n"},
                new String[] {"\\r\\r\\n and \\n\\r mixtures", "a\r\r\nb\n\rc\r\n\r\n.\r\r\n"});
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            for (String[] body : bodies()) {
                all.add(Arguments.of(mode, body[0], body[1]));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    @DisplayName("hostile line endings and dots in the body → CRLF-clean, dot-stuffed, one end marker, decodes back (SEC Consult 2023, RFC 5321 §4.5.2)")
    void bodyArrivesCleanAndDecodesBack(Mode mode, String what, String body) throws Exception {
        byte[] input = (HEADER + body).getBytes(StandardCharsets.UTF_8);
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo(mode.extensions);
            p.serveTransactions();
        })) {
            SendResult result = Hostile.succeeds(() -> SendOnce.send(client(server), ENVELOPE, MessageContent.of(input)));
            assertThat(result.finalReply().code()).isEqualTo(250);
            server.awaitHandlers(java.time.Duration.ofSeconds(5));
            Peer peer = server.peer();
            assertThat(peer.bodies()).as("exactly one message arrived").hasSize(1);
            byte[] wire = peer.bodies().get(0);
            Bodies.assertCrlfClean(wire);
            byte[] expected = Bodies.crlfNormalised(input);
            if (mode == Mode.BDAT) {
                assertThat(peer.sawCommand("DATA")).isFalse();
                assertThat(new String(wire, StandardCharsets.ISO_8859_1))
                        .isEqualTo(new String(expected, StandardCharsets.ISO_8859_1));
            } else {
                assertThat(new String(Bodies.undotted(wire), StandardCharsets.ISO_8859_1))
                        .isEqualTo(new String(expected, StandardCharsets.ISO_8859_1));
            }
            assertThat(peer.commands().stream().filter(c -> c.startsWith("MAIL")))
                    .as("no smuggled second transaction").hasSize(1);
            assertThat(peer.commands().stream().filter(c -> c.startsWith("RCPT"))).hasSize(1);
        }
    }
}
