package dev.jsmtp.message;

import dev.jsmtp.BodyType;
import dev.jsmtp.Extensions;
import dev.jsmtp.MessageContent;
import dev.jsmtp.Reply;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every message is written, checked for the wire rules (CRLF, 998 octets, 7-bit unless adapted, exact size),
 * then parsed back by mime4j and by Python's email package; what they decode must equal what went in.
 */
class MailMessageRoundTripTest {

    static final String CHINESE = "從零開始的 SMTP：以 Python 為例";

    @Test
    void chineseSubjectDisplayNameAndFileName() throws Exception {
        byte[] pdf = randomBytes(10_000, 1);
        MailMessage m = MailMessage.builder()
                .from(Mailbox.of(CHINESE, dev.jsmtp.Path.of("jane@example.org")))
                .to("Bob <bob@example.net>")
                .subject(CHINESE)
                .text("內文：" + CHINESE + "\n")
                .attach(Attachment.of(CHINESE + ".pdf", pdf, null))
                .build();
        for (DecodedMessage d : decodeAll(write(m.content()))) {
            assertThat(d.subject()).as(d.parser()).isEqualTo(CHINESE);
            assertThat(d.from()).as(d.parser()).containsExactly(CHINESE + " <jane@example.org>");
            assertThat(d.parts()).as(d.parser()).hasSize(2);
            assertThat(text(d.parts().get(0))).isEqualTo("內文：" + CHINESE + "\n");
            DecodedMessage.Part file = d.parts().get(1);
            assertThat(file.filename()).as(d.parser()).isEqualTo(CHINESE + ".pdf");
            assertThat(file.contentType()).isEqualTo("application/pdf");
            assertThat(file.disposition()).isEqualTo("attachment");
            assertThat(file.sha256()).isEqualTo(DecodedMessage.sha256(pdf));
        }
    }

    @Test
    void longNonAsciiSubjectIsFoldedIntoShortEncodedWords() throws Exception {
        StringBuilder s = new StringBuilder();
        while (s.length() < 200) {
            s.append("Grüße aus Zürich, 東京 и Москва — ");
        }
        String subject = s.substring(0, 200);
        MailMessage m = MailMessage.builder().from("a@example.org").to("b@example.org").subject(subject)
                .text("x").build();
        byte[] out = write(m.content());
        for (String line : headerLines(out)) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(HeaderEncoder.FOLD_AT);
        }
        for (DecodedMessage d : decodeAll(out)) {
            assertThat(d.subject()).as(d.parser()).isEqualTo(subject);
        }
    }

    @Test
    void fiveThousandCharacterLineSurvivesAsQuotedPrintable() throws Exception {
        String line = "0123456789".repeat(500);
        String body = "before\n" + line + "\nafter\n";
        MailMessage m = MailMessage.builder().from("a@example.org").to("b@example.org").subject("long line")
                .text(body).build();
        byte[] out = write(m.content());
        assertThat(new String(out, StandardCharsets.US_ASCII)).contains("Content-Transfer-Encoding: quoted-printable");
        for (DecodedMessage d : decodeAll(out)) {
            assertThat(text(d.parts().get(0))).as(d.parser()).isEqualTo(body);
        }
        // 8BITMIME does not allow long lines either
        byte[] eight = write(m.content().adaptTo(ehlo("8BITMIME")));
        for (DecodedMessage d : decodeAll(eight)) {
            assertThat(text(d.parts().get(0))).as(d.parser()).isEqualTo(body);
        }
    }

    @Test
    void bodyLineWithASingleDotIsKept() throws Exception {
        String body = "first\n.\n..\nlast";
        MailMessage m = MailMessage.builder().from("a@example.org").to("b@example.org").text(body).build();
        for (DecodedMessage d : decodeAll(write(m.content()))) {
            assertThat(text(d.parts().get(0))).as(d.parser()).startsWith("first\n.\n..\nlast");
        }
    }

    @Test
    void emojiInSubjectNameBodyAndFileName() throws Exception {
        String subject = "Party 🎉🎂 time 👩‍👩‍👧‍👦";
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        MailMessage m = MailMessage.builder().from("Émoji 😀 <e@example.org>").to("b@example.org")
                .subject(subject).text("Cake 🎂\n").html("<p>Cake 🎂</p>\n")
                .attach(Attachment.of("🎉.txt", data, null)).build();
        for (DecodedMessage d : decodeAll(write(m.content()))) {
            assertThat(d.subject()).as(d.parser()).isEqualTo(subject);
            assertThat(d.from()).containsExactly("Émoji 😀 <e@example.org>");
            assertThat(d.parts()).extracting(DecodedMessage.Part::contentType)
                    .containsExactly("text/plain", "text/html", "text/plain");
            assertThat(text(d.parts().get(0))).isEqualTo("Cake 🎂\n");
            assertThat(text(d.parts().get(1))).isEqualTo("<p>Cake 🎂</p>\n");
            assertThat(d.parts().get(2).filename()).as(d.parser()).isEqualTo("🎉.txt");
            assertThat(d.parts().get(2).sha256()).isEqualTo(DecodedMessage.sha256(data));
        }
    }

    @Test
    void rightToLeftText() throws Exception {
        String hebrew = "שלום עולם";
        String arabic = "مرحبا بالعالم";
        MailMessage m = MailMessage.builder().from(arabic + " <a@example.org>").to(hebrew + " <b@example.org>")
                .subject(hebrew + " — " + arabic).text(arabic + "\n" + hebrew + "\n").build();
        for (DecodedMessage d : decodeAll(write(m.content()))) {
            assertThat(d.subject()).as(d.parser()).isEqualTo(hebrew + " — " + arabic);
            assertThat(d.from()).containsExactly(arabic + " <a@example.org>");
            assertThat(d.to()).containsExactly(hebrew + " <b@example.org>");
            assertThat(text(d.parts().get(0))).isEqualTo(arabic + "\n" + hebrew + "\n");
        }
    }

    @Test
    void htmlWithInlineImageAndAttachment() throws Exception {
        byte[] png = randomBytes(3000, 2);
        byte[] csv = "a,b\r\n1,2\r\n".getBytes(StandardCharsets.US_ASCII);
        String html = "<html><body><p>Logo:</p><img src=\"cid:logo@example.org\"></body></html>\n";
        MailMessage m = MailMessage.builder().from("a@example.org").to("b@example.org").cc("Carol <c@example.org>")
                .bcc("secret@example.org").subject("inline").text("Logo attached.\n").html(html)
                .inline(Attachment.of("logo.png", png, null), "logo@example.org")
                .attach(Attachment.of("data.csv", csv, null)).build();
        byte[] out = write(m.content());
        assertThat(new String(out, StandardCharsets.UTF_8)).contains("multipart/mixed", "multipart/alternative",
                "multipart/related").doesNotContain("secret@example.org");
        for (DecodedMessage d : decodeAll(out)) {
            assertThat(d.bcc()).as(d.parser()).isEmpty();
            assertThat(d.cc()).containsExactly("Carol <c@example.org>");
            assertThat(d.parts()).extracting(DecodedMessage.Part::contentType)
                    .containsExactly("text/plain", "text/html", "image/png", "text/csv");
            assertThat(text(d.parts().get(1))).isEqualTo(html);
            DecodedMessage.Part logo = d.parts().get(2);
            assertThat(logo.contentId()).isEqualTo("<logo@example.org>");
            assertThat(logo.disposition()).isEqualTo("inline");
            assertThat(logo.sha256()).isEqualTo(DecodedMessage.sha256(png));
            assertThat(d.parts().get(3).sha256()).isEqualTo(DecodedMessage.sha256(csv));
        }
        assertThat(m.envelope().forwardPaths()).extracting(Object::toString)
                .containsExactly("b@example.org", "c@example.org", "secret@example.org");
    }

    @Test
    void eightBitMimeSendsTextUnencodedAndDecodesTheSame() throws Exception {
        String body = "Grüße, " + CHINESE + "\n";
        MailMessage m = MailMessage.builder().from("a@example.org").to("b@example.org").subject(CHINESE)
                .text(body).build();
        assertThat(m.content().bodyType()).isEqualTo(BodyType.SEVEN_BIT);
        MessageContent eight = m.content().adaptTo(ehlo("8BITMIME", "SMTPUTF8"));
        assertThat(eight.bodyType()).isEqualTo(BodyType.EIGHT_BIT_MIME);
        assertThat(eight.requiresSmtpUtf8()).isFalse(); // no address needs it: headers stay RFC 2047
        byte[] out = write(eight);
        assertThat(new String(out, StandardCharsets.UTF_8)).contains("Content-Transfer-Encoding: 8bit", body.strip());
        for (DecodedMessage d : decodeAll(out)) {
            assertThat(d.subject()).isEqualTo(CHINESE);
            assertThat(text(d.parts().get(0))).as(d.parser()).isEqualTo(body);
        }
    }

    @Test
    void utf8LocalPartWritesUtf8HeadersAndNeedsSmtpUtf8() throws Exception {
        MailMessage m = MailMessage.builder().from("用户 <用户@例子.广告>").to("bob@bücher.example")
                .subject(CHINESE).text("hi").build();
        MessageContent c = m.content();
        assertThat(c.requiresSmtpUtf8()).isTrue();
        assertThat(m.envelope().requiresSmtpUtf8()).isTrue();
        byte[] out = write(c);
        String header = new String(out, StandardCharsets.UTF_8);
        assertThat(header).contains("From: 用户 <用户@例子.广告>", "To: bob@bücher.example", "Subject: " + CHINESE);
        if (DecodedMessage.pythonPresent()) {
            DecodedMessage d = DecodedMessage.python(out);
            assertThat(d.subject()).isEqualTo(CHINESE);
            assertThat(d.from()).containsExactly("用户 <用户@例子.广告>");
        }
    }

    @Test
    void idnDomainIsWrittenInALabelsWithoutSmtpUtf8() throws Exception {
        MailMessage m = MailMessage.builder().from("a@example.org").to("Bob <bob@bücher.example>").text("x")
                .build();
        assertThat(m.content().requiresSmtpUtf8()).isFalse();
        byte[] out = write(m.content());
        assertThat(new String(out, StandardCharsets.US_ASCII)).contains("To: Bob <bob@xn--bcher-kva.example>");
    }

    static byte[] write(MessageContent content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        content.writeTo(out);
        byte[] bytes = out.toByteArray();
        assertThat(content.size()).hasValue(bytes.length);
        assertWireSafe(bytes, content.bodyType() == BodyType.SEVEN_BIT && !content.requiresSmtpUtf8());
        return bytes;
    }

    /** CRLF only, no line over 998 octets, and 7-bit when the content says so. */
    static void assertWireSafe(byte[] bytes, boolean sevenBit) {
        int line = 0;
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b == '\r') {
                assertThat(i + 1 < bytes.length && bytes[i + 1] == '\n').as("CR at %d is followed by LF", i).isTrue();
                line = 0;
                i++;
                continue;
            }
            assertThat(b).as("bare LF or NUL at %d", i).isNotIn((int) '\n', 0);
            if (sevenBit) {
                assertThat(b).as("octet at %d is 7-bit", i).isLessThan(0x80);
            }
            line++;
            assertThat(line).as("line length at %d", i).isLessThanOrEqualTo(998);
        }
        assertThat(bytes[bytes.length - 1]).isEqualTo((byte) '\n');
    }

    static List<String> headerLines(byte[] message) {
        String s = new String(message, StandardCharsets.UTF_8);
        return List.of(s.substring(0, s.indexOf("\r\n\r\n")).split("\r\n"));
    }

    static List<DecodedMessage> decodeAll(byte[] message) throws Exception {
        List<DecodedMessage> all = new ArrayList<>();
        all.add(DecodedMessage.mime4j(message));
        if (DecodedMessage.pythonPresent()) {
            DecodedMessage py = DecodedMessage.python(message);
            assertThat(py.defects()).as("Python email defects").isEmpty();
            all.add(py);
        }
        return all;
    }

    static String text(DecodedMessage.Part part) {
        return part.text().replace("\r\n", "\n");
    }

    static Extensions ehlo(String... keywords) {
        List<String> lines = new ArrayList<>();
        lines.add("mx.example.org");
        lines.addAll(List.of(keywords));
        return Extensions.parse(new Reply(250, java.util.Optional.empty(), lines));
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
