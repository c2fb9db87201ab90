package dev.jsmtp.message;

import dev.jsmtp.BodyType;
import dev.jsmtp.MessageContent;
import dev.jsmtp.Path;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static dev.jsmtp.message.MailMessageRoundTripTest.ehlo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailMessageBuilderTest {

    private static MailMessage.Builder minimal() {
        return MailMessage.builder().from("Jane <jane@example.org>").to("bob@example.net");
    }

    @Test
    void envelopeUsesSenderElseFromAndAllRecipients() {
        MailMessage m = minimal().cc("Carol <carol@example.net>, dan@example.net").bcc("eve@example.net").build();
        assertThat(m.envelope().reversePath()).hasValue(Path.of("jane@example.org"));
        assertThat(m.envelope().forwardPaths()).extracting(Path::toString)
                .containsExactly("bob@example.net", "carol@example.net", "dan@example.net", "eve@example.net");
        MailMessage withSender = minimal().sender("list-bounces@example.org").build();
        assertThat(withSender.envelope().reversePath()).hasValue(Path.of("list-bounces@example.org"));
    }

    @Test
    void headerSectionHasTheRequiredFieldsAndNoBcc() throws IOException {
        MailMessage m = minimal().bcc("hidden@example.net").sender("s@example.org").replyTo("r@example.org")
                .subject("Hi").text("x")
                .date(ZonedDateTime.of(2008, 6, 3, 11, 5, 30, 0, ZoneOffset.ofHours(2)))
                .messageId("<abc.123@example.org>").inReplyTo("prev@example.org")
                .references("first@example.org", "<prev@example.org>").header("X-Mailer", "jsmtp").build();
        String s = write(m);
        assertThat(s).startsWith("Date: Tue, 3 Jun 2008 11:05:30 +0200\r\nFrom: Jane <jane@example.org>\r\n"
                + "Sender: s@example.org\r\nReply-To: r@example.org\r\nTo: bob@example.net\r\nSubject: Hi\r\n"
                + "Message-ID: <abc.123@example.org>\r\nIn-Reply-To: <prev@example.org>\r\n"
                + "References: <first@example.org> <prev@example.org>\r\nX-Mailer: jsmtp\r\nMIME-Version: 1.0\r\n");
        assertThat(s).doesNotContainIgnoringCase("bcc").doesNotContain("hidden");
    }

    @Test
    void generatedMessageIdIsUniqueAndUsesTheFromDomainInALabels() {
        MailMessage a = MailMessage.builder().from("a@bücher.example").to("b@example.org").build();
        MailMessage b = MailMessage.builder().from("a@bücher.example").to("b@example.org").build();
        assertThat(a.messageId()).matches("<[^@<>]+@xn--bcher-kva\\.example>");
        assertThat(a.messageId()).isNotEqualTo(b.messageId());
    }

    @Test
    void dateDefaultsToNow() {
        ZonedDateTime before = ZonedDateTime.now().minusSeconds(1);
        assertThat(minimal().build().date()).isAfter(before).isBefore(ZonedDateTime.now().plusSeconds(1));
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> MailMessage.builder().to("b@example.org").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("From");
        assertThatThrownBy(() -> MailMessage.builder().from("a@example.org").build())
                .hasMessageContaining("recipient");
        assertThatThrownBy(() -> minimal().subject("Hi\r\nBcc: evil@example.org"))
                .hasMessageContaining("Subject contains CR, LF or NUL").hasMessageContaining("\\r\\n");
        assertThatThrownBy(() -> minimal().header("X-Bad Name", "v")).hasMessageContaining("ftext");
        assertThatThrownBy(() -> minimal().header("X-Colon:", "v")).hasMessageContaining("ftext");
        assertThatThrownBy(() -> minimal().header("X-" + "n".repeat(2000), "v")).hasMessageContaining("1 to 76");
        assertThatThrownBy(() -> minimal().header("X-Ok", "a\nb")).hasMessageContaining("X-Ok contains CR");
        assertThatThrownBy(() -> minimal().header("Content-Type", "text/plain"))
                .hasMessageContaining("own builder method");
        assertThatThrownBy(() -> minimal().header("bcc", "x@example.org")).hasMessageContaining("own builder");
        assertThatThrownBy(() -> minimal().messageId("no at sign")).hasMessageContaining("Message-ID");
        assertThatThrownBy(() -> minimal().to("x@example.org\nBcc: y@example.org"))
                .hasMessageContaining("CR, LF or NUL");
        assertThatThrownBy(() -> minimal().inline(Attachment.of("a.png", new byte[1], null), "logo").build())
                .hasMessageContaining("HTML");
        assertThatThrownBy(() -> Attachment.of(java.nio.file.Path.of("/no/such/file.pdf")))
                .hasMessageContaining("/no/such/file.pdf");
        assertThatThrownBy(() -> Attachment.of("a.bin", new byte[1], "not a type"))
                .hasMessageContaining("type/subtype");
        assertThatThrownBy(() -> Attachment.of("../etc/passwd", new byte[1], null))
                .hasMessageContaining("path separator");
    }

    @Test
    void customHeaderWithNonAsciiValueIsEncoded() throws IOException {
        String s = write(minimal().header("X-Greeting", "Grüezi mitenand").text("x").build());
        assertThat(s).contains("X-Greeting: =?UTF-8?");
    }

    @Test
    void contentTypeIsGuessedFromTheFileName() throws IOException {
        java.nio.file.Path dir = Files.createTempDirectory("att");
        try {
            java.nio.file.Path pdf = Files.write(dir.resolve("report.pdf"), new byte[] {1, 2, 3});
            java.nio.file.Path unknown = Files.write(dir.resolve("data.zzqq"), new byte[] {1});
            java.nio.file.Path xlsx = Files.write(dir.resolve("sheet.XLSX"), new byte[] {1});
            assertThat(Attachment.of(pdf).contentType()).isEqualTo("application/pdf");
            assertThat(Attachment.of(pdf).size()).hasValue(3);
            assertThat(Attachment.of(unknown).contentType()).isEqualTo("application/octet-stream");
            assertThat(Attachment.of(xlsx).contentType())
                    .isEqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
            String s = write(minimal().attach(pdf).build());
            assertThat(s).contains("Content-Type: application/pdf; name=\"report.pdf\"",
                    "Content-Disposition: attachment; filename=\"report.pdf\"");
        } finally {
            try (var files = Files.list(dir)) {
                for (java.nio.file.Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void singleBodiesAreNotWrappedInMultiparts() throws IOException {
        assertThat(write(minimal().text("hello").build())).contains("Content-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n\r\nhello\r\n").doesNotContain("multipart");
        assertThat(write(minimal().html("<b>hi</b>").build())).contains("Content-Type: text/html")
                .doesNotContain("multipart");
        assertThat(write(minimal().build())).contains("Content-Type: text/plain");
    }

    @Test
    void adaptToKeepsSevenBitContentWhenNothingIsOffered() {
        MailMessage m = minimal().text("Grüße").build();
        MessageContent c = m.content();
        assertThat(c.adaptTo(ehlo("PIPELINING"))).isSameAs(c);
        assertThat(c.bodyType()).isEqualTo(BodyType.SEVEN_BIT);
        assertThat(c.adaptTo(ehlo("8BITMIME")).bodyType()).isEqualTo(BodyType.EIGHT_BIT_MIME);
    }

    @Test
    void writingTwiceGivesTheSameOctets() throws IOException {
        MailMessage m = minimal().text("a").html("<p>a</p>").attach(Attachment.of("x.bin", new byte[10], null))
                .build();
        assertThat(write(m)).isEqualTo(write(m));
    }

    private static String write(MailMessage m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        assertThat(m.content().size()).hasValue(out.size());
        return out.toString(StandardCharsets.UTF_8);
    }
}
