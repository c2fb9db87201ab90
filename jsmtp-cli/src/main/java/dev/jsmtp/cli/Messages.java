package dev.jsmtp.cli;

import dev.jsmtp.Envelope;
import dev.jsmtp.Path;
import dev.jsmtp.message.MailMessage;
import dev.jsmtp.message.Mailbox;
import dev.jsmtp.message.MalformedMessageException;
import dev.jsmtp.message.RawMessage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** The CLI's only door to the core's message package (RFC 5322, MIME): composes drafts and reads existing messages. */
final class Messages {

    private Messages() {
    }

    static Prepared compose(Draft d) throws CliException {
        boolean nullSender = d.from().equals(NULL_PATH);
        Optional<String> author = nullSender ? Optional.empty() : Optional.of(d.from());
        checkAddresses("--from", List.of(d.from()));
        checkAddresses("--to", d.to());
        checkAddresses("--cc", d.cc());
        checkAddresses("--bcc", d.bcc());
        for (Map.Entry<String, String> h : d.headers()) {
            if (h.getKey().equalsIgnoreCase("From") && nullSender) {
                if (author.isPresent()) {
                    throw CliException.usage("--header From: given twice");
                }
                checkAddresses("--header From", List.of(h.getValue()));
                author = Optional.of(h.getValue());
            }
        }
        if (author.isEmpty()) {
            throw CliException.usage("--from '<>' (a null reverse-path, RFC 5321 §4.5.5) leaves the message without "
                    + "an author: add --header 'From: ADDR'");
        }
        try {
            MailMessage.Builder b = MailMessage.builder().from(author.get());
            if (!d.to().isEmpty()) {
                b.to(d.to().toArray(String[]::new));
            }
            if (!d.cc().isEmpty()) {
                b.cc(d.cc().toArray(String[]::new));
            }
            if (!d.bcc().isEmpty()) {
                b.bcc(d.bcc().toArray(String[]::new));
            }
            d.subject().ifPresent(b::subject);
            d.text().ifPresent(b::text);
            d.html().ifPresent(b::html);
            for (java.nio.file.Path p : d.attachments()) {
                checkReadable("--attach", p);
                b.attach(p);
            }
            Fields fields = new Fields();
            for (Map.Entry<String, String> h : d.headers()) {
                if (!(nullSender && h.getKey().equalsIgnoreCase("From"))) {
                    header(b, h.getKey(), h.getValue(), fields);
                }
            }
            // Both defaults cost a cold JVM tens of milliseconds (SecureRandom seeding for the UUID, the time-zone
            // database): a per-process unique id and a UTC date serve a one-shot command as well.
            if (!fields.date) {
                b.date(ZonedDateTime.now(ZoneOffset.UTC));
            }
            if (!fields.messageId) {
                messageId(author.get()).ifPresent(b::messageId);
            }
            MailMessage m = b.build();
            Envelope envelope = m.envelope();
            if (nullSender) {
                envelope = new Envelope(Optional.empty(), envelope.forwardPaths(), envelope.parameters());
            } else if (fields.sender) {
                // The builder makes Sender the reverse-path; --from names the envelope sender on this command.
                envelope = new Envelope(Optional.of(Mailbox.parse(d.from()).path()), envelope.forwardPaths(),
                        envelope.parameters());
            }
            return new Prepared(envelope, m.content());
        } catch (IllegalArgumentException e) {
            throw CliException.data(e.getMessage());
        } catch (UncheckedIOException e) {
            throw new CliException(ExitCode.IO_ERROR, e.getCause().getMessage());
        }
    }

    /** {@code MAIL FROM:<>}: no address for bounces (RFC 5321 §4.5.5), as bounces and auto-replies send. */
    static final String NULL_PATH = "<>";

    /** Which header fields --header set that the message would otherwise get by default. */
    private static final class Fields {
        boolean date;
        boolean messageId;
        boolean sender;
    }

    /**
     * One {@code --header}: fields the message builder owns go to its methods; those that other options or the MIME
     * writer set are usage errors naming the option to use.
     */
    private static void header(MailMessage.Builder b, String name, String value, Fields fields) throws CliException {
        String where = "--header " + name + ": ";
        switch (name.toLowerCase(Locale.ROOT)) {
            case "from" -> throw CliException.usage(where + "use --from (or --from '<>' with this header for a "
                    + "null envelope sender)");
            case "to", "cc", "bcc", "subject" -> throw CliException.usage(where + "use --"
                    + name.toLowerCase(Locale.ROOT));
            case "mime-version", "content-type", "content-transfer-encoding", "content-disposition", "content-id" ->
                    throw CliException.usage(where + "jsmtp writes this field from --body, --html-file and --attach "
                            + "(send a finished message with --eml instead)");
            case "reply-to" -> {
                checkAddresses("--header Reply-To", List.of(value));
                b.replyTo(AddressList.split(value).toArray(String[]::new));
            }
            case "sender" -> {
                checkAddresses("--header Sender", List.of(value));
                b.sender(value);
                fields.sender = true;
            }
            case "in-reply-to" -> b.inReplyTo(value);
            case "references" -> b.references(value.strip().split("\\s+"));
            case "message-id" -> {
                b.messageId(value);
                fields.messageId = true;
            }
            case "date" -> {
                try {
                    b.date(ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
                } catch (DateTimeParseException e) {
                    throw CliException.usage(where + "not an RFC 5322 date such as 'Tue, 3 Jun 2025 10:15:00 +0200': "
                            + value);
                }
                fields.date = true;
            }
            default -> b.header(name, value);
        }
    }

    /** A file to attach that cannot be read is an I/O error (74), whether missing, a directory or forbidden. */
    private static void checkReadable(String option, java.nio.file.Path file) throws CliException {
        if (Files.isRegularFile(file) && Files.isReadable(file)) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new CliException(ExitCode.IO_ERROR, option + ": cannot read " + file + ": is a directory");
        }
        try (var in = Files.newInputStream(file)) {
            // Readable after all (a device, or a file that appeared): the builder decides.
            return;
        } catch (IOException e) {
            throw new CliException(ExitCode.IO_ERROR, option + ": cannot read " + file + ": "
                    + Secrets.reason(file, e));
        }
    }

    /** Control characters in an address, named here so that the message shows them escaped once. */
    private static void checkAddresses(String option, List<String> addresses) throws CliException {
        for (String a : addresses) {
            for (int i = 0; i < a.length(); i++) {
                char c = a.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    throw CliException.data(option + ": control character in address: " + a);
                }
            }
        }
    }

    /**
     * {@code time.nanos.random@domain}, unique per process and message, or empty when the domain is not ASCII. (Not
     * the process id: asking for it starts the JDK's process-reaper machinery, start-up time a send need not pay.)
     */
    static Optional<String> messageId(String from) {
        try {
            String domain = Mailbox.parse(from).path().domain();
            for (int i = 0; i < domain.length(); i++) {
                char c = domain.charAt(i);
                if (c >= 0x80 || !(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '[' || c == ']'
                        || c == ':')) {
                    return Optional.empty();
                }
            }
            return Optional.of(Long.toString(System.currentTimeMillis(), 36) + "."
                    + Long.toString(System.nanoTime() & Long.MAX_VALUE, 36) + "."
                    + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + ".jsmtp@" + domain);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * An existing message sent as it is (line endings normalised, over-long body lines re-encoded); the envelope's
     * recipients are {@code to}, plus the message's To, Cc and Bcc with {@code addHeaderRecipients}; its sender is
     * {@code from} when given, else the message's From. With {@code removeBcc} the Bcc field is taken out
     * (RFC 5322 §3.6.3).
     */
    static Prepared raw(byte[] message, Optional<String> from, List<String> to, boolean addHeaderRecipients,
                        boolean removeBcc) throws CliException {
        return raw(read(message), from, to, addHeaderRecipients, removeBcc);
    }

    /** An existing message read from memory, for callers that look at its fields before sending it. */
    static RawMessage read(byte[] message) throws CliException {
        try {
            return RawMessage.read(new ByteArrayInputStream(message));
        } catch (MalformedMessageException e) {
            throw CliException.data("the message is malformed: " + e.getMessage());
        } catch (IOException e) {
            throw new CliException(ExitCode.IO_ERROR, "reading the message: " + e.getMessage());
        }
    }

    /** As {@link #raw(byte[], Optional, List, boolean, boolean)}, streaming the message from a file. */
    static Prepared raw(java.nio.file.Path file, Optional<String> from, List<String> to, boolean addHeaderRecipients,
                        boolean removeBcc) throws CliException {
        try {
            return raw(RawMessage.of(file), from, to, addHeaderRecipients, removeBcc);
        } catch (MalformedMessageException e) {
            throw CliException.data(file + " is malformed: " + e.getMessage());
        } catch (IOException e) {
            throw new CliException(ExitCode.IO_ERROR, file + ": " + e.getMessage());
        }
    }

    /** As {@link #raw(byte[], Optional, List, boolean, boolean)}, for a message already read. */
    static Prepared raw(RawMessage raw, Optional<String> from, List<String> to, boolean addHeaderRecipients,
                        boolean removeBcc) throws CliException {
        return raw(raw, from, to, addHeaderRecipients, removeBcc, "--from", "--to");
    }

    /**
     * As {@link #raw(RawMessage, Optional, List, boolean, boolean)}, naming the sender and recipients in errors as
     * the caller's command line does (sendmail mode: {@code -f} and {@code recipient}).
     */
    static Prepared raw(RawMessage raw, Optional<String> from, List<String> to, boolean addHeaderRecipients,
                        boolean removeBcc, String fromLabel, String toLabel) throws CliException {
        try {
            checkAddresses(toLabel, to);
            List<Path> recipients = new ArrayList<>();
            for (String t : to) {
                recipients.add(Path.of(t));
            }
            if (addHeaderRecipients) {
                for (Mailbox m : raw.recipients()) {
                    recipients.add(m.path());
                }
            }
            if (recipients.isEmpty()) {
                throw CliException.data("no recipients: the message has no To, Cc or Bcc and none were given");
            }
            Optional<Path> sender;
            if (from.isPresent()) {
                checkAddresses(fromLabel, List.of(from.get()));
                sender = from.get().equals(NULL_PATH) ? Optional.empty() : Optional.of(Path.of(from.get()));
            } else {
                sender = raw.from().map(Mailbox::path);
                if (sender.isEmpty()) {
                    throw CliException.usage("no sender: give " + fromLabel + " (" + raw.fromProblem()
                            .map(p -> "the message's " + p).orElse("the message has no From either") + ")");
                }
            }
            return new Prepared(new Envelope(sender, recipients, null),
                    (removeBcc ? raw.withoutBcc() : raw).content());
        } catch (IllegalArgumentException e) {
            throw CliException.data(e.getMessage());
        }
    }
}
