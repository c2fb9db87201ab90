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
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** The CLI's only door to the core's message package (RFC 5322, MIME): composes drafts and reads existing messages. */
final class Messages {

    private Messages() {
    }

    static Prepared compose(Draft d) throws CliException {
        try {
            MailMessage.Builder b = MailMessage.builder().from(d.from());
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
                b.attach(p);
            }
            for (Map.Entry<String, String> h : d.headers()) {
                b.header(h.getKey(), h.getValue());
            }
            // Both defaults cost a cold JVM tens of milliseconds (SecureRandom seeding for the UUID, the time-zone
            // database): a per-process unique id and a UTC date serve a one-shot command as well.
            b.date(ZonedDateTime.now(ZoneOffset.UTC));
            messageId(d.from()).ifPresent(b::messageId);
            MailMessage m = b.build();
            return new Prepared(m.envelope(), m.content());
        } catch (IllegalArgumentException e) {
            throw CliException.data(e.getMessage());
        } catch (UncheckedIOException e) {
            throw new CliException(ExitCode.IO_ERROR, e.getCause().getMessage());
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
        try {
            return prepare(RawMessage.read(new ByteArrayInputStream(message)), from, to, addHeaderRecipients,
                    removeBcc);
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
            return prepare(RawMessage.of(file), from, to, addHeaderRecipients, removeBcc);
        } catch (MalformedMessageException e) {
            throw CliException.data(file + " is malformed: " + e.getMessage());
        } catch (IOException e) {
            throw new CliException(ExitCode.IO_ERROR, file + ": " + e.getMessage());
        }
    }

    private static Prepared prepare(RawMessage raw, Optional<String> from, List<String> to,
                                    boolean addHeaderRecipients, boolean removeBcc) throws CliException {
        try {
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
            Optional<Path> sender = from.isPresent() ? Optional.of(Path.of(from.get()))
                    : raw.from().map(Mailbox::path);
            if (sender.isEmpty()) {
                throw CliException.usage("no sender: give --from (the message has no From either)");
            }
            return new Prepared(new Envelope(sender, recipients, null),
                    (removeBcc ? raw.withoutBcc() : raw).content());
        } catch (IllegalArgumentException e) {
            throw CliException.data(e.getMessage());
        }
    }
}
