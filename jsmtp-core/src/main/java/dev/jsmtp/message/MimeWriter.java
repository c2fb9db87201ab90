package dev.jsmtp.message;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Lays a {@link MailMessage} out as RFC 5322 header fields over a MIME tree (RFC 2045, RFC 2046): text and HTML
 * as multipart/alternative, HTML with inline parts as multipart/related (RFC 2387), attachments in
 * multipart/mixed.
 */
final class MimeWriter {

    /** The random part of this message's boundaries, drawn when the first multipart is written. */
    private String boundaryStem() {
        if (boundaryStem == null) {
            byte[] random = new byte[12];
            Boundaries.RANDOM.nextBytes(random);
            boundaryStem = "=_jsmtp_" + HexFormat.of().formatHex(random) + "_";
        }
        return boundaryStem;
    }

    /** Seeded only when a message needs a boundary: seeding costs start-up time a one-part message need not pay. */
    private static final class Boundaries {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    private final MailMessage message;
    private final boolean eightBit;
    private final HeaderEncoder encoder;
    private String boundaryStem;
    private int boundaries;

    /**
     * @param eightBit the transport offers 8BITMIME, so non-ASCII text may go unencoded
     * @param utf8     header fields in UTF-8 (RFC 6532), only when the transaction uses SMTPUTF8
     */
    private MimeWriter(MailMessage message, boolean eightBit, boolean utf8) {
        this.message = message;
        this.eightBit = eightBit;
        this.encoder = new HeaderEncoder(utf8);
    }

    /** The whole message as one entity whose header section starts with the message's own fields. */
    static BodyPart render(MailMessage message, boolean eightBit, boolean utf8) {
        MimeWriter w = new MimeWriter(message, eightBit, utf8);
        return w.root(w.messageHeaders());
    }

    private String messageHeaders() {
        MailMessage m = message;
        StringBuilder h = new StringBuilder();
        h.append("Date: ").append(Rfc5322Date.format(m.date)).append("\r\n");
        h.append(encoder.addresses("From", List.of(m.from)));
        m.sender.ifPresent(s -> h.append(encoder.addresses("Sender", List.of(s))));
        if (!m.replyTo.isEmpty()) {
            h.append(encoder.addresses("Reply-To", m.replyTo));
        }
        if (!m.to.isEmpty()) {
            h.append(encoder.addresses("To", m.to));
        }
        if (!m.cc.isEmpty()) {
            h.append(encoder.addresses("Cc", m.cc));
        }
        m.subject.ifPresent(s -> h.append(encoder.unstructured("Subject", s)));
        h.append(HeaderEncoder.messageIds("Message-ID", List.of(m.messageId)));
        m.inReplyTo.ifPresent(id -> h.append(HeaderEncoder.messageIds("In-Reply-To", List.of(id))));
        if (!m.references.isEmpty()) {
            h.append(HeaderEncoder.messageIds("References", m.references));
        }
        for (String[] field : m.headers) {
            h.append(encoder.unstructured(field[0], field[1]));
        }
        return h.append("MIME-Version: 1.0\r\n").toString();
    }

    private BodyPart root(String messageHeaders) {
        MailMessage m = message;
        List<BodyPart> body = new ArrayList<>();
        boolean hasBody = m.text.isPresent() || m.html.isPresent();
        if (hasBody || m.attachments.isEmpty()) {
            body.add(bodyParts(m.attachments.isEmpty() ? messageHeaders : ""));
        }
        if (m.attachments.isEmpty()) {
            return body.get(0);
        }
        for (Attachment a : m.attachments) {
            body.add(attachmentPart(a, "attachment", null));
        }
        return multipart(messageHeaders, "mixed", body);
    }

    /** The text and HTML bodies, with inline parts next to the HTML. */
    private BodyPart bodyParts(String headers) {
        MailMessage m = message;
        if (m.html.isEmpty()) {
            return textPart(headers, "plain", m.text.orElse(""));
        }
        BodyPart html;
        if (m.inlines.isEmpty()) {
            html = textPart(m.text.isPresent() ? "" : headers, "html", m.html.get());
        } else {
            List<BodyPart> related = new ArrayList<>();
            related.add(textPart("", "html", m.html.get()));
            for (MailMessage.Inline inline : m.inlines) {
                related.add(attachmentPart(inline.attachment(), "inline", inline.contentId()));
            }
            html = multipart(m.text.isPresent() ? "" : headers, "related; type=\"text/html\"", related);
        }
        if (m.text.isEmpty()) {
            return html;
        }
        return multipart(headers, "alternative", List.of(textPart("", "plain", m.text.get()), html));
    }

    private BodyPart textPart(String headers, String subtype, String text) {
        byte[] octets = crlf(text).getBytes(StandardCharsets.UTF_8);
        TransferEncoding encoding = TransferEncoding.forText(octets, eightBit);
        String fields = headers + "Content-Type: text/" + subtype + "; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: " + encoding.token() + "\r\n";
        return new BodyPart.Encoded(fields, encoding.encode(octets), encoding);
    }

    private BodyPart attachmentPart(Attachment a, String disposition, String contentId) {
        StringBuilder fields = new StringBuilder();
        fields.append(HeaderEncoder.mimeField("Content-Type", a.contentType(), List.of(), null, a.fileName(),
                "name"));
        fields.append("Content-Transfer-Encoding: base64\r\n");
        fields.append(HeaderEncoder.mimeField("Content-Disposition", disposition, List.of(), "filename",
                a.fileName(), null));
        if (contentId != null) {
            fields.append(HeaderEncoder.messageIds("Content-ID", List.of(contentId)));
        }
        return new BodyPart.Streamed(fields.toString(), a);
    }

    private BodyPart multipart(String headers, String subtype, List<BodyPart> parts) {
        String boundary;
        BodyPart result;
        do {
            boundary = boundaryStem() + (++boundaries);
            String fields = headers + "Content-Type: multipart/" + subtype + ";\r\n boundary=\"" + boundary
                    + "\"\r\n";
            result = new BodyPart.Multipart(fields, boundary, parts);
        } while (result.contains(("--" + boundary).getBytes(StandardCharsets.US_ASCII)));
        return result;
    }

    /** Text with every line break (CR, LF or CRLF) as CRLF, so the size written is the size sent. */
    static String crlf(String text) {
        if (text.indexOf('\r') < 0 && text.indexOf('\n') < 0) {
            return text;
        }
        return text.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
    }
}
