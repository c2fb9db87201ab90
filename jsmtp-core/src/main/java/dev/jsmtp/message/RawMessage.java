package dev.jsmtp.message;

import dev.jsmtp.BodyType;
import dev.jsmtp.Escaping;
import dev.jsmtp.MessageContent;

import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * An existing RFC 5322 message sent as it is (for {@code sendmail -t} and {@code send --eml}): only line endings
 * are normalised to CRLF, Bcc may be stripped, and body parts with lines over 998 octets are re-encoded
 * (quoted-printable, re-wrapped base64) so that their decoded content is unchanged. A header line over 998
 * octets is refused with {@link MalformedMessageException}: nothing illegal is sent and nothing is truncated.
 *
 * <p>The message is read once when this object is made, to learn its structure, recipients and exact size; it
 * is streamed again each time it is written. {@link #read(InputStream)} keeps up to 4 MiB in memory and spools
 * the rest to a temporary file, which {@link #close()} deletes.
 */
public final class RawMessage implements AutoCloseable {

    static final int SPOOL_THRESHOLD = 4 << 20;

    private final Source source;
    private final Scan scan;
    private final boolean stripBcc;

    private interface Source {
        InputStream open() throws IOException;

        default void delete() throws IOException {
        }
    }

    /** What the first reading learnt; shared by a message and its {@link #withoutBcc()} view. */
    private record Scan(Set<Integer> repairs, long size, long bccOctets, BodyType bodyType, boolean utf8Header,
                        boolean utf8OutsideBcc, List<Mailbox> recipients, String recipientError,
                        Optional<Mailbox> from, String fromError, List<String> recipientFields) {
    }

    private RawMessage(Source source, Scan scan, boolean stripBcc) {
        this.source = source;
        this.scan = scan;
        this.stripBcc = stripBcc;
    }

    /** A message in a file, which must stay unchanged until it has been sent. */
    public static RawMessage of(Path file) throws IOException {
        Source source = () -> Files.newInputStream(file);
        return new RawMessage(source, scan(source), false);
    }

    /** A message read to its end from {@code in}; past 4 MiB it is spooled to a temporary file. */
    public static RawMessage read(InputStream in) throws IOException {
        return read(in, SPOOL_THRESHOLD);
    }

    static RawMessage read(InputStream in, int spoolThreshold) throws IOException {
        byte[] head = in.readNBytes(spoolThreshold + 1);
        Source source;
        if (head.length <= spoolThreshold) {
            source = () -> new ByteArrayInputStream(head);
        } else {
            Path spool = Files.createTempFile("jsmtp-message-", ".eml"); // owner-only on POSIX
            spool.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(spool)) {
                out.write(head);
                in.transferTo(out);
            }
            source = new Source() {
                @Override
                public InputStream open() throws IOException {
                    return Files.newInputStream(spool);
                }

                @Override
                public void delete() throws IOException {
                    Files.deleteIfExists(spool);
                }
            };
        }
        try {
            return new RawMessage(source, scan(source), false);
        } catch (IOException | RuntimeException e) {
            source.delete();
            throw e;
        }
    }

    private static Scan scan(Source source) throws IOException {
        OctetScan octets = new OctetScan();
        RawMimeWalker first;
        try (InputStream in = source.open()) {
            first = new RawMimeWalker(in, octets, Set.of(), false);
            first.walk();
        }
        Set<Integer> repairs = Set.copyOf(first.repairs());
        if (!repairs.isEmpty()) {
            octets = new OctetScan();
            try (InputStream in = source.open()) {
                new RawMimeWalker(in, octets, repairs, false).walk();
            }
        }
        List<Mailbox> recipients = new ArrayList<>();
        List<String> recipientFields = new ArrayList<>();
        String recipientError = null;
        String fromError = null;
        Optional<Mailbox> from = Optional.empty();
        boolean utf8 = false;
        boolean utf8OutsideBcc = false;
        for (String[] field : first.topFields()) {
            String name = field[0].toLowerCase(java.util.Locale.ROOT);
            boolean nonAscii = (field[0] + field[1]).chars().anyMatch(c -> c >= 0x80);
            utf8 |= nonAscii;
            utf8OutsideBcc |= nonAscii && !name.equals("bcc");
            try {
                if (name.equals("to") || name.equals("cc") || name.equals("bcc")) {
                    recipientFields.add(field[1]);
                    recipients.addAll(Mailbox.parseList(field[1]));
                } else if (name.equals("from") && from.isEmpty()) {
                    List<Mailbox> authors = Mailbox.parseList(field[1]);
                    from = authors.isEmpty() ? Optional.empty() : Optional.of(authors.get(0));
                }
            } catch (IllegalArgumentException e) {
                if (name.equals("from")) {
                    fromError = fromError != null || from.isPresent() ? fromError
                            : field[0] + " field does not parse: " + e.getMessage();
                } else if (recipientError == null) {
                    recipientError = field[0] + " field does not parse: " + e.getMessage();
                }
            }
        }
        BodyType type = octets.nul ? BodyType.BINARY_MIME : octets.eightBit ? BodyType.EIGHT_BIT_MIME
                : BodyType.SEVEN_BIT;
        return new Scan(repairs, octets.count, first.bccOctets(), type, utf8, utf8OutsideBcc,
                List.copyOf(recipients), recipientError, from, from.isPresent() ? null : fromError,
                List.copyOf(recipientFields));
    }

    /**
     * The recipients named in To, Cc and Bcc, in order, group members included.
     *
     * @throws IllegalArgumentException when one of those fields does not parse, naming it
     */
    public List<Mailbox> recipients() {
        if (scan.recipientError() != null) {
            throw new IllegalArgumentException(Escaping.escape(scan.recipientError()));
        }
        return scan.recipients();
    }

    /**
     * The unfolded values of the To, Cc and Bcc fields, in order, for callers that read addresses more leniently
     * than {@link #recipients()} (sendmail mode qualifies bare user names such as {@code root}).
     */
    public List<String> recipientFields() {
        return scan.recipientFields();
    }

    /** The first mailbox of the From field; empty when there is none or it does not parse. */
    public Optional<Mailbox> from() {
        return scan.from();
    }

    /** Why {@link #from()} is empty although the message has a From field: it does not parse (escaped). */
    public Optional<String> fromProblem() {
        return Optional.ofNullable(scan.fromError()).map(Escaping::escape);
    }

    /** The same message without its Bcc fields; recipients are unchanged. */
    public RawMessage withoutBcc() {
        return stripBcc ? this : new RawMessage(source, scan, true);
    }

    /** The message as it goes to DATA or BDAT: CRLF line endings, long body lines re-encoded, Bcc per view. */
    public MessageContent content() {
        return new Content();
    }

    /** Deletes the spooled copy of a message read from a stream, if any; this and every view stop working. */
    @Override
    public void close() throws IOException {
        source.delete();
    }

    private final class Content implements MessageContent {
        @Override
        public void writeTo(OutputStream out) throws IOException {
            OutputStream shield = new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() {
                }
            };
            try (InputStream in = source.open()) {
                new RawMimeWalker(in, shield, scan.repairs(), stripBcc).walk();
            }
            out.flush();
        }

        @Override
        public OptionalLong size() {
            return OptionalLong.of(scan.size() - (stripBcc ? scan.bccOctets() : 0));
        }

        @Override
        public BodyType bodyType() {
            return scan.bodyType();
        }

        @Override
        public boolean requiresSmtpUtf8() {
            return stripBcc ? scan.utf8OutsideBcc() : scan.utf8Header();
        }
    }

    /** Counts the octets written and notes 8-bit and NUL octets. */
    private static final class OctetScan extends OutputStream {
        long count;
        boolean eightBit;
        boolean nul;

        @Override
        public void write(int b) {
            count++;
            eightBit |= (b & 0x80) != 0;
            nul |= (b & 0xff) == 0;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
            for (int i = off; i < off + len; i++) {
                eightBit |= b[i] < 0;
                nul |= b[i] == 0;
            }
        }
    }
}
