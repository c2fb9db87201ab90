package dev.jsmtp.message;

import dev.jsmtp.Envelope;
import dev.jsmtp.Escaping;
import dev.jsmtp.MailParameters;
import dev.jsmtp.MessageContent;
import dev.jsmtp.Path;

import java.io.IOException;
import java.io.OutputStream;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable RFC 5322 message with MIME parts (RFC 2045-2049): addresses, subject, text and HTML bodies,
 * attachments and inline parts. Bcc recipients are kept for the envelope and never written. Build one with
 * {@link #builder()}; {@link #content()} writes it.
 */
public final class MailMessage {

    /** Fields set through their own builder methods, which {@link Builder#header} refuses. */
    private static final Set<String> STRUCTURAL = Set.of("from", "sender", "reply-to", "to", "cc", "bcc",
            "subject", "date", "message-id", "in-reply-to", "references", "mime-version", "content-type",
            "content-transfer-encoding", "content-disposition", "content-id");

    final Mailbox from;
    final Optional<Mailbox> sender;
    final List<Mailbox> replyTo;
    final List<Mailbox> to;
    final List<Mailbox> cc;
    final List<Mailbox> bcc;
    final Optional<String> subject;
    final ZonedDateTime date;
    final String messageId;
    final Optional<String> inReplyTo;
    final List<String> references;
    final List<String[]> headers;
    final Optional<String> text;
    final Optional<String> html;
    final List<Attachment> attachments;
    final List<Inline> inlines;
    private volatile MessageContent content;

    /** A part of an HTML body that the HTML refers to as {@code cid:contentId} (RFC 2387, RFC 2392). */
    record Inline(Attachment attachment, String contentId) {
    }

    private MailMessage(Builder b) {
        if (b.from == null) {
            throw new IllegalArgumentException("a message needs a From address");
        }
        if (b.to.isEmpty() && b.cc.isEmpty() && b.bcc.isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one recipient in To, Cc or Bcc");
        }
        if (!b.inlines.isEmpty() && b.html == null) {
            throw new IllegalArgumentException("inline parts are referred to from an HTML body, but there is none");
        }
        from = b.from;
        sender = Optional.ofNullable(b.sender);
        replyTo = List.copyOf(b.replyTo);
        to = List.copyOf(b.to);
        cc = List.copyOf(b.cc);
        bcc = List.copyOf(b.bcc);
        subject = Optional.ofNullable(b.subject);
        date = b.date != null ? b.date : ZonedDateTime.now();
        messageId = b.messageId != null ? b.messageId : generateMessageId(from.path());
        inReplyTo = Optional.ofNullable(b.inReplyTo);
        references = List.copyOf(b.references);
        headers = List.copyOf(b.headers);
        text = Optional.ofNullable(b.text);
        html = Optional.ofNullable(b.html);
        attachments = List.copyOf(b.attachments);
        inlines = List.copyOf(b.inlines);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The envelope: the reverse-path is Sender if set, else From; forward-paths are To, Cc and Bcc. */
    public Envelope envelope() {
        List<Path> forward = new ArrayList<>(to.size() + cc.size() + bcc.size());
        for (List<Mailbox> list : List.of(to, cc, bcc)) {
            for (Mailbox m : list) {
                forward.add(m.path());
            }
        }
        return new Envelope(Optional.of(sender.orElse(from).path()), forward, MailParameters.NONE);
    }

    /**
     * The message as 7-bit-safe octets (quoted-printable or base64 bodies, RFC 2047 headers), unless an address
     * has a UTF-8 local part, which only SMTPUTF8 can carry. Adapt it to a server with
     * {@link MessageContent#adaptTo}.
     */
    public MessageContent content() {
        MessageContent c = content;
        if (c == null) {
            c = new ComposedContent(this, false, requiresSmtpUtf8());
            content = c;
        }
        return c;
    }

    /** Writes {@link #content()}. */
    public void writeTo(OutputStream out) throws IOException {
        content().writeTo(out);
    }

    /** True when an address has a non-ASCII local part, so the message can only travel with SMTPUTF8. */
    public boolean requiresSmtpUtf8() {
        if (from.requiresSmtpUtf8() || sender.isPresent() && sender.get().requiresSmtpUtf8()) {
            return true;
        }
        for (List<Mailbox> list : List.of(replyTo, to, cc, bcc)) {
            for (Mailbox m : list) {
                if (m.requiresSmtpUtf8()) {
                    return true;
                }
            }
        }
        return false;
    }

    public Mailbox from() {
        return from;
    }

    public List<Mailbox> to() {
        return to;
    }

    public List<Mailbox> cc() {
        return cc;
    }

    public List<Mailbox> bcc() {
        return bcc;
    }

    public Optional<String> subject() {
        return subject;
    }

    /** The Message-ID with its angle brackets. */
    public String messageId() {
        return messageId;
    }

    public ZonedDateTime date() {
        return date;
    }

    public List<Attachment> attachments() {
        return attachments;
    }

    /**
     * A unique Message-ID (RFC 5322 §3.6.4): the time, then 128 random bits, at the sender's domain. It needs to be
     * unique, not secret, so it takes no SecureRandom (whose seeding is most of a one-shot send's start-up).
     */
    private static String generateMessageId(Path from) {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        return "<" + Long.toString(System.currentTimeMillis(), 36) + "." + Long.toHexString(random.nextLong())
                + Long.toHexString(random.nextLong()) + "@" + HeaderEncoder.asciiDomain(from.domain()) + ">";
    }

    /** Builds a {@link MailMessage}; each setter checks its input and names what is wrong. */
    public static final class Builder {
        private Mailbox from;
        private Mailbox sender;
        private final List<Mailbox> replyTo = new ArrayList<>();
        private final List<Mailbox> to = new ArrayList<>();
        private final List<Mailbox> cc = new ArrayList<>();
        private final List<Mailbox> bcc = new ArrayList<>();
        private String subject;
        private ZonedDateTime date;
        private String messageId;
        private String inReplyTo;
        private final List<String> references = new ArrayList<>();
        private final List<String[]> headers = new ArrayList<>();
        private String text;
        private String html;
        private final List<Attachment> attachments = new ArrayList<>();
        private final List<Inline> inlines = new ArrayList<>();

        private Builder() {
        }

        /** The author, as {@code Jane <jane@example.org>} or a bare address. */
        public Builder from(String mailbox) {
            return from(Mailbox.parse(mailbox));
        }

        public Builder from(Mailbox mailbox) {
            this.from = Objects.requireNonNull(mailbox, "from");
            return this;
        }

        /** The agent that sent the message on the author's behalf; also the envelope's reverse-path. */
        public Builder sender(String mailbox) {
            return sender(Mailbox.parse(mailbox));
        }

        public Builder sender(Mailbox mailbox) {
            this.sender = Objects.requireNonNull(mailbox, "sender");
            return this;
        }

        /** Each argument may be an address list such as {@code a@b, C <c@d>}. */
        public Builder replyTo(String... addresses) {
            return add(replyTo, addresses);
        }

        public Builder replyTo(Mailbox... mailboxes) {
            return add(replyTo, mailboxes);
        }

        public Builder to(String... addresses) {
            return add(to, addresses);
        }

        public Builder to(Mailbox... mailboxes) {
            return add(to, mailboxes);
        }

        public Builder cc(String... addresses) {
            return add(cc, addresses);
        }

        public Builder cc(Mailbox... mailboxes) {
            return add(cc, mailboxes);
        }

        /** Recipients who get the message without being named in it. */
        public Builder bcc(String... addresses) {
            return add(bcc, addresses);
        }

        public Builder bcc(Mailbox... mailboxes) {
            return add(bcc, mailboxes);
        }

        public Builder subject(String subject) {
            this.subject = checkValue("Subject", subject);
            return this;
        }

        /** The plain-text body; line breaks may be LF, CR or CRLF. */
        public Builder text(String text) {
            this.text = Objects.requireNonNull(text, "text");
            return this;
        }

        /** The HTML body; with a text body too, the two become multipart/alternative. */
        public Builder html(String html) {
            this.html = Objects.requireNonNull(html, "html");
            return this;
        }

        public Builder attach(java.nio.file.Path file) {
            return attach(Attachment.of(file));
        }

        public Builder attach(Attachment attachment) {
            attachments.add(Objects.requireNonNull(attachment, "attachment"));
            return this;
        }

        /** A part the HTML body shows through {@code <img src="cid:contentId">}. */
        public Builder inline(Attachment attachment, String contentId) {
            Objects.requireNonNull(attachment, "attachment");
            inlines.add(new Inline(attachment, "<" + checkId("Content-ID", contentId, false) + ">"));
            return this;
        }

        /**
         * Adds a header field. The name must be RFC 5322 ftext; the value may be any text without CR, LF or NUL
         * (it is folded and encoded when written). Fields with builder methods of their own are refused.
         */
        public Builder header(String name, String value) {
            checkName(name);
            if (STRUCTURAL.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header " + name + " is set by its own builder method or by "
                        + "the MIME writer, not by header()");
            }
            headers.add(new String[] {name, checkValue(name, value)});
            return this;
        }

        /** The Message-ID, with or without angle brackets; one is generated with the From domain otherwise. */
        public Builder messageId(String id) {
            this.messageId = "<" + checkId("Message-ID", id, true) + ">";
            return this;
        }

        /** The Date; now by default. */
        public Builder date(ZonedDateTime date) {
            this.date = Objects.requireNonNull(date, "date");
            return this;
        }

        public Builder inReplyTo(String messageId) {
            this.inReplyTo = "<" + checkId("In-Reply-To", messageId, true) + ">";
            return this;
        }

        public Builder references(String... messageIds) {
            for (String id : messageIds) {
                references.add("<" + checkId("References", id, true) + ">");
            }
            return this;
        }

        /**
         * The message.
         *
         * @throws IllegalArgumentException when there is no From or no recipient, or inline parts without HTML
         */
        public MailMessage build() {
            return new MailMessage(this);
        }

        private Builder add(List<Mailbox> list, String... addresses) {
            for (String a : addresses) {
                checkValue("address", a);
                list.addAll(Mailbox.parseList(a));
            }
            return this;
        }

        private Builder add(List<Mailbox> list, Mailbox... mailboxes) {
            for (Mailbox m : mailboxes) {
                list.add(Objects.requireNonNull(m, "mailbox"));
            }
            return this;
        }

        private static String checkValue(String field, String value) {
            Objects.requireNonNull(value, field);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n' || c == 0) {
                    throw new IllegalArgumentException(field + " contains CR, LF or NUL: " + Escaping.escape(value));
                }
            }
            return value;
        }

        private static void checkName(String name) {
            Objects.requireNonNull(name, "header name");
            if (name.isEmpty() || name.length() > 76) {
                throw new IllegalArgumentException("header name must be 1 to 76 characters: " + Escaping.escape(
                        name.length() > 80 ? name.substring(0, 80) + "..." : name));
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c < 33 || c > 126 || c == ':') {
                    throw new IllegalArgumentException("header name must be printable US-ASCII without ':' "
                            + "(RFC 5322 ftext): " + Escaping.escape(name));
                }
            }
        }

        /** An msg-id without brackets: {@code left@right} (Content-ID may omit the @), printable ASCII. */
        private static String checkId(String field, String id, boolean needAt) {
            Objects.requireNonNull(id, field);
            String bare = id.startsWith("<") && id.endsWith(">") ? id.substring(1, id.length() - 1) : id;
            int at = bare.lastIndexOf('@');
            boolean ok = needAt ? at > 0 && at < bare.length() - 1 : !bare.isEmpty();
            for (int i = 0; i < bare.length() && ok; i++) {
                char c = bare.charAt(i);
                ok = c > 32 && c < 127 && c != '<' && c != '>' && c != '"' && c != '\\';
            }
            if (!ok) {
                throw new IllegalArgumentException(field + " must look like <left@right> in printable US-ASCII: "
                        + Escaping.escape(id));
            }
            return bare;
        }
    }
}
