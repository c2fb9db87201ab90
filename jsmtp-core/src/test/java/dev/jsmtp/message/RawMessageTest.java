package dev.jsmtp.message;

import dev.jsmtp.BodyType;
import dev.jsmtp.MessageContent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;

import static dev.jsmtp.message.MailMessageRoundTripTest.decodeAll;
import static dev.jsmtp.message.MailMessageRoundTripTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RawMessageTest {

    private static final String SIMPLE = "From: Jane <jane@example.org>\n"
            + "To: Bob <bob@example.net>, Team: carol@example.net, \"Doe, Dan\" <dan@example.net>;\n"
            + "Cc: eve@example.net\n"
            + "Bcc: hidden@example.net,\n"
            + " also-hidden@example.net\n"
            + "Subject: hello\n"
            + "\n"
            + "Body line\n"
            + ".\n"
            + "last line";

    @Test
    void lineEndingsBecomeCrlfAndNothingElseChanges() throws Exception {
        RawMessage raw = RawMessage.read(in(SIMPLE));
        byte[] out = write(raw.content());
        assertThat(new String(out, StandardCharsets.US_ASCII)).isEqualTo(SIMPLE.replace("\n", "\r\n") + "\r\n");
        assertThat(raw.content().bodyType()).isEqualTo(BodyType.SEVEN_BIT);
    }

    @Test
    void recipientsComeFromToCcAndBccIncludingGroups() throws Exception {
        RawMessage raw = RawMessage.read(in(SIMPLE));
        assertThat(raw.recipients()).extracting(m -> m.path().toString()).containsExactly("bob@example.net",
                "carol@example.net", "dan@example.net", "eve@example.net", "hidden@example.net",
                "also-hidden@example.net");
        assertThat(raw.from()).map(m -> m.displayName().orElseThrow() + " " + m.path()).hasValue(
                "Jane jane@example.org");
    }

    @Test
    void withoutBccDropsTheWholeFoldedFieldAndKnowsItsSize() throws Exception {
        RawMessage raw = RawMessage.read(in(SIMPLE)).withoutBcc();
        byte[] out = write(raw.content());
        String s = new String(out, StandardCharsets.US_ASCII);
        assertThat(s).doesNotContain("Bcc", "hidden").contains("Cc: eve@example.net\r\nSubject: hello\r\n");
        assertThat(raw.recipients()).hasSize(6); // the envelope still reaches Bcc recipients
        for (DecodedMessage d : decodeAll(out)) {
            assertThat(d.bcc()).isEmpty();
            assertThat(d.to()).hasSize(3);
        }
    }

    @Test
    void overLongLineInASinglePartBodyIsReencodedAsQuotedPrintable() throws Exception {
        String longLine = "x".repeat(3000) + " é " + "y".repeat(2000);
        String body = "short\n" + longLine + "\nend\n";
        String message = "From: a@example.org\nTo: b@example.org\nSubject: long\nContent-Type: text/plain; "
                + "charset=UTF-8\nContent-Transfer-Encoding: 8bit\nMIME-Version: 1.0\n\n" + body;
        RawMessage raw = RawMessage.read(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
        byte[] out = write(raw.content());
        assertThat(raw.content().bodyType()).isEqualTo(BodyType.SEVEN_BIT);
        String s = new String(out, StandardCharsets.US_ASCII);
        assertThat(s).contains("Content-Transfer-Encoding: quoted-printable").doesNotContain("8bit");
        for (DecodedMessage d : decodeAll(out)) {
            assertThat(text(d.parts().get(0))).as(d.parser()).isEqualTo(body);
        }
    }

    @Test
    void messageWithoutMimeHeadersGainsThemWhenReencoded() throws Exception {
        String body = "a".repeat(1500) + "\n";
        RawMessage raw = RawMessage.read(in("From: a@example.org\nTo: b@example.org\n\n" + body));
        byte[] out = write(raw.content());
        assertThat(new String(out, StandardCharsets.US_ASCII))
                .contains("MIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
        for (DecodedMessage d : decodeAll(out)) {
            assertThat(text(d.parts().get(0))).isEqualTo(body);
        }
    }

    @Test
    void overLongLinesInsideMultipartsAreRepairedPartByPart() throws Exception {
        byte[] binary = new byte[5000];
        new Random(3).nextBytes(binary);
        String oneLineBase64 = Base64.getEncoder().encodeToString(binary);
        String longText = "word ".repeat(400) + "end";
        String qpLong = "caf=C3=A9 ".repeat(200) + "fin";
        String decodedQp = "café ".repeat(200) + "fin";
        String message = "From: a@example.org\r\nTo: b@example.org\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
                + "preamble\r\n"
                + "--outer\r\n"
                + "Content-Type: multipart/alternative; boundary=inner\r\n\r\n"
                + "--inner\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + longText + "\r\n"
                + "--inner\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: "
                + "quoted-printable\r\n\r\n" + qpLong + "\r\n"
                + "--inner--\r\n"
                + "--outer\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nuntouched short part\r\n"
                + "--outer\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"r.bin\"\r\n\r\n" + oneLineBase64 + "\r\n"
                + "--outer--\r\n";
        RawMessage raw = RawMessage.read(in(message));
        byte[] out = write(raw.content());
        String s = new String(out, StandardCharsets.US_ASCII);
        assertThat(s).contains("--inner\r\nContent-Type: text/plain; charset=us-ascii\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
        assertThat(s).contains("--outer\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nuntouched short "
                + "part\r\n");
        for (DecodedMessage d : decodeAll(out)) {
            assertThat(d.parts()).hasSize(4);
            assertThat(text(d.parts().get(0))).as(d.parser()).isEqualTo(longText);
            assertThat(text(d.parts().get(1))).as(d.parser()).isEqualTo(decodedQp);
            assertThat(text(d.parts().get(2))).isEqualTo("untouched short part");
            assertThat(d.parts().get(3).sha256()).isEqualTo(DecodedMessage.sha256(binary));
        }
    }

    @Test
    void overLongHeaderLineIsRefusedNamingTheLine() {
        String message = "From: a@example.org\nTo: b@example.org\nX-Long: " + "h".repeat(1200) + "\n\nbody\n";
        assertThatThrownBy(() -> RawMessage.read(in(message)))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("header line 3").hasMessageContaining("1208 octets")
                .hasMessageContaining("998");
    }

    @Test
    void overLongLineInAnAttachedMessageIsRefused() {
        String message = "From: a@example.org\nTo: b@example.org\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\n"
                + "Subject: inner\n\n" + "z".repeat(1000) + "\n--b--\n";
        assertThatThrownBy(() -> RawMessage.read(in(message)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("message/rfc822");
    }

    @Test
    void unparsableRecipientFieldIsReportedWhenRecipientsAreAsked() throws Exception {
        RawMessage raw = RawMessage.read(in("From: a@example.org\nTo: not an address\n\nx\n"));
        assertThatThrownBy(raw::recipients).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("To field");
        assertThat(write(raw.content())).isNotEmpty(); // sending to explicit recipients still works
    }

    @Test
    void anUnparsableFromFieldIsToldApartFromAMissingOne() throws Exception {
        RawMessage bad = RawMessage.read(in("From: Joe \u0007 <joe@example.org\nTo: b@example.org\n\nx\n"));
        assertThat(bad.from()).isEmpty();
        assertThat(bad.fromProblem()).hasValueSatisfying(p -> assertThat(p).startsWith("From field does not parse")
                .doesNotContain("\u0007"));
        RawMessage none = RawMessage.read(in("To: b@example.org\n\nx\n"));
        assertThat(none.from()).isEmpty();
        assertThat(none.fromProblem()).isEmpty();
        RawMessage good = RawMessage.read(in("From: a@example.org\nFrom: x y z\nTo: b@example.org\n\nx\n"));
        assertThat(good.from()).map(m -> m.path().toString()).hasValue("a@example.org");
        assertThat(good.fromProblem()).isEmpty();
    }

    @Test
    void largeInputIsSpooledToATemporaryFileAndDeletedOnClose() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            body.append("line ").append(i).append('\n');
        }
        String message = "From: a@example.org\nTo: b@example.org\n\n" + body;
        RawMessage raw = RawMessage.read(in(message), 1024);
        byte[] out = write(raw.content());
        assertThat(new String(out, StandardCharsets.US_ASCII)).isEqualTo(message.replace("\n", "\r\n"));
        raw.close();
        assertThatThrownBy(() -> raw.content().writeTo(new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void fileSourceIsStreamedAgainForEachWrite() throws Exception {
        Path file = Files.createTempFile("raw", ".eml");
        try {
            Files.writeString(file, SIMPLE);
            RawMessage raw = RawMessage.of(file);
            assertThat(write(raw.content())).isEqualTo(write(raw.content()));
            assertThat(raw.recipients()).hasSize(6);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void utf8HeaderNeedsSmtpUtf8UnlessOnlyInBccThatIsStripped() throws Exception {
        RawMessage raw = RawMessage.read(new ByteArrayInputStream(("From: a@example.org\nTo: b@example.org\n"
                + "Bcc: Jörg <j@example.org>\n\nbody\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(raw.content().requiresSmtpUtf8()).isTrue();
        assertThat(raw.withoutBcc().content().requiresSmtpUtf8()).isFalse();
        assertThat(raw.recipients()).extracting(m -> m.displayName().orElse("")).contains("Jörg");
    }

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the content and checks the wire rules and the announced size. */
    private static byte[] write(MessageContent content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        content.writeTo(out);
        byte[] bytes = out.toByteArray();
        assertThat(content.size()).hasValue(bytes.length);
        MailMessageRoundTripTest.assertWireSafe(bytes, false);
        return bytes;
    }
}
