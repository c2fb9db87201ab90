package dev.jsmtp.hostile;

import dev.jsmtp.testing.SendOnce;

import static dev.jsmtp.hostile.Hostile.MESSAGE;
import static dev.jsmtp.hostile.Hostile.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsmtp.Credentials;
import dev.jsmtp.Envelope;
import dev.jsmtp.MailParameters;
import dev.jsmtp.Path;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpCapabilityException;
import dev.jsmtp.SmtpException;
import dev.jsmtp.TokenProvider;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Command injection through caller-supplied values (MBSD, "SMTP Injection via recipient email addresses", 2015,
 * mbsd.jp/Whitepaper/smtpi.pdf; Python smtplib bpo-43124; MimeKit CVE-2026-30227, CRLF in a quoted local part;
 * Jakarta Mail CVE-2025-7962, U+760D/U+760A narrowed to CR/LF; nodemailer GHSA-c7w3-x93f-qmm8): CR, LF, NUL,
 * {@code >} and spaces in envelope addresses, DSN parameters, credentials and the EHLO name are refused before any
 * byte is sent, never silently rewritten; characters whose low byte is CR or LF (U+560D, U+560A, U+760D) travel as
 * their UTF-8 octets or not at all, never narrowed to a line break.
 */
class InjectionTest {

    @ParameterizedTest(name = "recipient \"{0}\"")
    @ValueSource(strings = {"bob@example.net\r\nRCPT TO:<evil@attacker.example>", "bob@example.net\nDATA",
            "bob@example.net\rQUIT", "bob\u0000@example.net", "bob@example.net>\r\nMAIL FROM:<x@y.z",
            "bob@example.net> NOTIFY=NEVER", "bob @example.net", "<bob@example.net>", "bob@exa\r\nmple.net",
            "bob@example.net\u0085", "bob@example.net\u2028RSET", "\"bob\r\nRCPT TO:<x@attacker.example>\"@example.net",
            "\"bob\u0000\"@example.net"})
    @DisplayName("recipient with CR, LF, NUL, '>', space, NEL or LS → refused before any connection (MBSD 2015, bpo-43124, CVE-2026-30227)")
    void hostileRecipientRefusedBeforeConnecting(String recipient) throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("SMTPUTF8", "8BITMIME");
            p.serveTransactions();
        })) {
            assertThatThrownBy(() -> SendOnce.send(client(server), Envelope.of("alice@example.org", recipient), MESSAGE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> Hostile.assertOneLine("the error", e.getMessage()));
            Thread.sleep(50);
            assertThat(server.connections()).as("no connection for a refused address").isZero();
        }
    }

    @ParameterizedTest(name = "sender \"{0}\"")
    @ValueSource(strings = {"alice@example.org\r\nRCPT TO:<evil@attacker.example>", "alice@example.org>",
            "alice@example.org\u0000", "alice @example.org"})
    @DisplayName("reverse-path with CR, LF, NUL, '>' or space → refused before any connection (RFC 5321 §4.1.2)")
    void hostileSenderRefusedBeforeConnecting(String sender) throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> p.greet())) {
            assertThatThrownBy(() -> SendOnce.send(client(server), Envelope.of(sender, "bob@example.net"), MESSAGE))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(server.connections()).isZero();
        }
    }

    @Test
    @DisplayName("U+560D/U+560A/U+760D in a local part without SMTPUTF8 → refused after EHLO, before MAIL; never narrowed to CR/LF (RFC 6531)")
    void narrowingCharactersWithoutSmtpUtf8() throws Exception {
        Envelope envelope = Envelope.of("alice@example.org", "bob\u560D\u560A\u760Devil@example.net");
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("8BITMIME", "PIPELINING");
            p.serveTransactions();
        })) {
            SmtpException e = Hostile.fails(() -> SendOnce.send(client(server), envelope, MESSAGE));
            assertThat(e).isInstanceOf(SmtpCapabilityException.class).hasMessageContaining("SMTPUTF8");
            server.awaitHandlers(Duration.ofSeconds(5));
            assertThat(server.peer().sawCommand("MAIL")).isFalse();
            assertThat(server.peer().sawCommand("RCPT")).isFalse();
        }
    }

    @Test
    @DisplayName("U+560D/U+560A/U+760D in a local part with SMTPUTF8 → sent as their UTF-8 octets, no CR or LF inside the line (RFC 6531)")
    void narrowingCharactersWithSmtpUtf8() throws Exception {
        String recipient = "bob\u560D\u560A\u760Devil@example.net";
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("8BITMIME", "SMTPUTF8");
            p.serveTransactions();
        })) {
            SendResult result = Hostile.succeeds(() -> SendOnce.send(client(server), Envelope.of("alice@example.org", recipient), MESSAGE));
            assertThat(result.finalReply().code()).isEqualTo(250);
            server.awaitHandlers(Duration.ofSeconds(5));
            byte[] expectedLine = ("RCPT TO:<" + recipient + ">\r\n").getBytes(StandardCharsets.UTF_8);
            String wire = server.receivedText();
            assertThat(wire).contains(new String(expectedLine, StandardCharsets.ISO_8859_1));
            assertThat(server.peer().commands()).filteredOn(c -> c.startsWith("RCPT"))
                    .containsExactly("RCPT TO:<" + recipient + ">");
            assertThat(server.peer().commands()).noneMatch(c -> c.startsWith("evil") || c.equals("bob"));
        }
    }

    @Test
    @DisplayName("U+560A in a domain → sent as its IDNA A-label, no LF octet (RFC 5890, RFC 5321 §2.3.5)")
    void narrowingCharacterInDomain() throws Exception {
        String domain = "ex\u560Aample.net";
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("8BITMIME");
            p.serveTransactions();
        })) {
            Hostile.succeeds(() -> SendOnce.send(client(server), Envelope.of("alice@example.org", "bob@" + domain),
                    MESSAGE));
            server.awaitHandlers(Duration.ofSeconds(5));
            assertThat(server.peer().commands()).filteredOn(c -> c.startsWith("RCPT"))
                    .containsExactly("RCPT TO:<bob@" + IDN.toASCII(domain) + ">");
        }
    }

    @Test
    @DisplayName("password holding CRLF and a MAIL command → travels only inside base64, no injected command (RFC 4616, CWE-93)")
    void passwordWithCrlfIsNotInjected() throws Exception {
        String password = "pw\r\nMAIL FROM:<evil@attacker.example>\r\nRCPT TO:<x@attacker.example>";
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("AUTH PLAIN", "8BITMIME");
            p.expect("AUTH PLAIN ");
            p.reply("235 2.7.0 OK");
            p.serveTransactions();
        })) {
            Hostile.succeeds(() -> SendOnce.send(client(server).credentials(Credentials.password("alice", password))
                    .allowCleartextAuthenticationDangerously(), Hostile.ENVELOPE, MESSAGE));
            server.awaitHandlers(Duration.ofSeconds(5));
            assertThat(server.peer().commands()).filteredOn(c -> c.startsWith("MAIL"))
                    .containsExactly("MAIL FROM:<alice@example.org>");
            assertThat(server.receivedText()).doesNotContain("attacker");
        }
    }

    @Test
    @DisplayName("user name, OAuth2 token, ENVID or ORCPT with CR/LF → refused when built, before any connection (RFC 3461 §4)")
    void otherCallerValuesRefused() {
        assertThatThrownBy(() -> Credentials.password("alice\r\nMAIL FROM:<x@y.z>", "pw"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenProvider.of("tok\r\nQUIT")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MailParameters.builder().envelopeId("id\r\nRSET").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MailParameters.builder()
                .recipient(Path.of("bob@example.net"), Set.of(), "bob@example.net\r\nDATA").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "client name \"{0}\"")
    @ValueSource(strings = {"client.example\r\nMAIL FROM:<evil@attacker.example>", "client\u0000.example",
            "client.example\nRSET"})
    @DisplayName("EHLO client name with CR, LF or NUL → refused when the client is built, before any connection (CWE-93)")
    void hostileClientName(String name) throws Exception {
        try (AdversarialServer server = AdversarialServer.start(p -> {
            p.greet();
            p.ehlo("8BITMIME");
            p.serveTransactions();
        })) {
            assertThatThrownBy(() -> SendOnce.send(client(server).clientName(name), Hostile.ENVELOPE, MESSAGE))
                    .isInstanceOf(IllegalArgumentException.class);
            Thread.sleep(50);
            assertThat(server.connections()).as("a bad client name is a configuration error, found before connecting")
                    .isZero();
        }
    }
}
