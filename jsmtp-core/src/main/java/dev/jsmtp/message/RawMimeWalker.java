package dev.jsmtp.message;

import dev.jsmtp.Escaping;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * One pass over a raw RFC 5322 message that follows its MIME structure (RFC 2046 §5.1) and writes it with CRLF
 * line endings. Leaf parts with a line over 998 octets (or a NUL) are "repaired" so their decoded content stays the
 * same: 7bit, 8bit and binary bodies become quoted-printable, base64 is re-wrapped, quoted-printable gets soft
 * breaks. A first pass finds those parts ({@link #repairs()}); a second, given them, writes the repaired message.
 */
final class RawMimeWalker {

    private static final byte[] CRLF = {'\r', '\n'};

    /** What ended an entity: the end of input, or a delimiter line of an enclosing multipart. */
    private static final int END_OF_INPUT = -1;

    private enum Repair { QUOTED_PRINTABLE, BASE64_REWRAP, SOFT_BREAKS }

    private final LineReader in;
    private final OutputStream out;
    private final Set<Integer> repairsToMake;
    private final boolean stripBcc;
    private final Set<Integer> repairsFound = new TreeSet<>();
    private final List<String[]> topFields = new ArrayList<>();
    private int leaves;
    private long bccOctets;

    /**
     * @param out           where the message goes; in a first pass a counting sink
     * @param repairsToMake leaf ordinals to repair, as found by a first pass (empty in a first pass)
     */
    RawMimeWalker(InputStream in, OutputStream out, Set<Integer> repairsToMake, boolean stripBcc) {
        this.in = new LineReader(in);
        this.out = out;
        this.repairsToMake = repairsToMake;
        this.stripBcc = stripBcc;
    }

    void walk() throws IOException {
        if (!in.next()) {
            throw new MalformedMessageException("the message is empty");
        }
        entity(List.of(), true);
    }

    /** The leaf ordinals that need repair. */
    Set<Integer> repairs() {
        return repairsFound;
    }

    /** The top-level header fields, unfolded: name and value. */
    List<String[]> topFields() {
        return topFields;
    }

    /** The octets of Bcc fields written (zero when they were stripped). */
    long bccOctets() {
        return bccOctets;
    }

    /** Walks one entity whose first header line is current; returns what ended it, which is left current. */
    private int entity(List<byte[]> enclosing, boolean top) throws IOException {
        List<List<byte[]>> fields = new ArrayList<>();
        while (in.heldLength() > 0 || in.isTruncated()) {
            if (in.isTruncated() || in.heldLength() > TransferEncoding.MAX_LINE) {
                long length = in.writeLine(null);
                throw new MalformedMessageException("header line " + in.number() + " is " + length
                        + " octets long; RFC 5322 allows at most 998, and a header cannot be re-encoded without "
                        + "changing it: fold or shorten it");
            }
            int boundary = delimiter(enclosing);
            if (boundary != END_OF_INPUT) {
                writeFields(fields, top, null, false);
                return boundary;
            }
            byte[] line = java.util.Arrays.copyOf(in.held(), in.heldLength());
            if ((line[0] == ' ' || line[0] == '\t') && !fields.isEmpty()) {
                fields.get(fields.size() - 1).add(line);
            } else {
                List<byte[]> field = new ArrayList<>();
                field.add(line);
                fields.add(field);
            }
            if (!in.next()) {
                writeFields(fields, top, null, false);
                return END_OF_INPUT;
            }
        }
        String contentType = value(fields, "content-type");
        String type = contentType == null ? "text/plain" : contentType.split(";", 2)[0].strip()
                .toLowerCase(Locale.ROOT);
        String boundary = type.startsWith("multipart/") ? MimeParameters.get(contentType, "boundary") : null;
        if (boundary != null && !boundary.isEmpty()) {
            writeFields(fields, top, null, false);
            out.write(CRLF);
            return in.next() ? multipart(enclosing, boundary) : END_OF_INPUT;
        }
        int ordinal = leaves++;
        String cte = value(fields, "content-transfer-encoding");
        cte = cte == null ? "7bit" : cte.strip().toLowerCase(Locale.ROOT);
        Repair repair = repairsToMake.contains(ordinal) ? repairFor(cte, type) : null;
        writeFields(fields, top, repair == Repair.QUOTED_PRINTABLE ? "quoted-printable" : null,
                top && value(fields, "mime-version") == null);
        out.write(CRLF);
        if (!in.next()) {
            return END_OF_INPUT;
        }
        return leafBody(enclosing, ordinal, cte, type, repair);
    }

    private int leafBody(List<byte[]> enclosing, int ordinal, String cte, String type, Repair repair)
            throws IOException {
        OutputStream target = repair == null ? out : encoder(repair);
        boolean first = true;
        int ending = END_OF_INPUT;
        do {
            if (!in.isTruncated() && (ending = delimiter(enclosing)) != END_OF_INPUT) {
                break;
            }
            if (repair != null && !first) {
                target.write(CRLF);
            }
            long length = in.writeLine(target);
            if (repair == null) {
                out.write(CRLF);
            }
            if (length > TransferEncoding.MAX_LINE || in.hasNul()) {
                repairFor(cte, type); // throws when this part cannot be repaired
                repairsFound.add(ordinal);
            }
            first = false;
        } while (in.next());
        if (repair != null) {
            target.close();
            if (!first) {
                out.write(CRLF);
            }
        }
        return ending;
    }

    private int multipart(List<byte[]> enclosing, String boundary) throws IOException {
        List<byte[]> inner = new ArrayList<>(enclosing);
        inner.add(("--" + boundary).getBytes(StandardCharsets.US_ASCII));
        int own = inner.size() - 1;
        int ending = otherLines(inner, "preamble");
        while (ending == own) {
            boolean close = isClose(inner.get(own));
            in.writeLine(out);
            out.write(CRLF);
            if (close) {
                return in.next() ? otherLines(enclosing, "epilogue") : END_OF_INPUT;
            }
            if (!in.next()) {
                return END_OF_INPUT;
            }
            ending = entity(inner, false);
        }
        return ending; // an enclosing delimiter, or the end of input
    }

    /** Copies preamble or epilogue lines up to a delimiter of {@code boundaries}. */
    private int otherLines(List<byte[]> boundaries, String what) throws IOException {
        do {
            int ending = in.isTruncated() ? END_OF_INPUT : delimiter(boundaries);
            if (ending != END_OF_INPUT) {
                return ending;
            }
            long length = in.writeLine(out);
            if (length > TransferEncoding.MAX_LINE) {
                throw new MalformedMessageException("line " + in.number() + " in a multipart " + what + " is "
                        + length + " octets long; RFC 5322 allows at most 998");
            }
            out.write(CRLF);
        } while (in.next());
        return END_OF_INPUT;
    }

    /** The index of the innermost boundary whose delimiter the current line is, or END_OF_INPUT. */
    private int delimiter(List<byte[]> boundaries) {
        byte[] line = in.held();
        int length = in.heldLength();
        for (int i = boundaries.size() - 1; i >= 0; i--) {
            byte[] d = boundaries.get(i);
            if (length < d.length || !java.util.Arrays.equals(line, 0, d.length, d, 0, d.length)) {
                continue;
            }
            int k = d.length;
            if (k + 1 < length && line[k] == '-' && line[k + 1] == '-') {
                k += 2;
            }
            while (k < length && (line[k] == ' ' || line[k] == '\t')) {
                k++;
            }
            if (k == length) {
                return i;
            }
        }
        return END_OF_INPUT;
    }

    private boolean isClose(byte[] delimiter) {
        int k = delimiter.length;
        return in.heldLength() >= k + 2 && in.held()[k] == '-' && in.held()[k + 1] == '-';
    }

    private static Repair repairFor(String cte, String type) throws MalformedMessageException {
        if (type.startsWith("message/") || type.startsWith("multipart/")) {
            throw new MalformedMessageException("a " + type + " part has a line over 998 octets, and RFC 2046 "
                    + "forbids re-encoding it");
        }
        switch (cte) {
            case "7bit":
            case "8bit":
            case "binary":
                return Repair.QUOTED_PRINTABLE;
            case "base64":
                return Repair.BASE64_REWRAP;
            case "quoted-printable":
                return Repair.SOFT_BREAKS;
            default:
                throw new MalformedMessageException("a part with Content-Transfer-Encoding "
                        + Escaping.escape(cte) + " has a line over 998 octets and cannot be re-encoded");
        }
    }

    private OutputStream encoder(Repair repair) {
        switch (repair) {
            case QUOTED_PRINTABLE:
                return TransferEncoding.QUOTED_PRINTABLE.encoder(out);
            case BASE64_REWRAP:
                return new RepairStreams.Base64Rewrap(out);
            default:
                return new RepairStreams.SoftBreaks(out);
        }
    }

    private void writeFields(List<List<byte[]>> fields, boolean top, String newEncoding, boolean addMimeVersion)
            throws IOException {
        for (List<byte[]> field : fields) {
            String name = name(field.get(0));
            if (top) {
                topFields.add(new String[] {name, unfold(field)});
            }
            boolean bcc = top && name.equalsIgnoreCase("bcc");
            if (newEncoding != null && name.equalsIgnoreCase("content-transfer-encoding")) {
                continue;
            }
            if (bcc && stripBcc) {
                continue;
            }
            for (byte[] line : field) {
                if (bcc) {
                    bccOctets += line.length + 2;
                }
                out.write(line);
                out.write(CRLF);
            }
        }
        if (newEncoding != null) {
            if (addMimeVersion) {
                out.write("MIME-Version: 1.0\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(("Content-Transfer-Encoding: " + newEncoding + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static String value(List<List<byte[]>> fields, String name) {
        for (List<byte[]> field : fields) {
            if (name(field.get(0)).equalsIgnoreCase(name)) {
                return unfold(field);
            }
        }
        return null;
    }

    private static String name(byte[] firstLine) {
        String s = new String(firstLine, StandardCharsets.ISO_8859_1);
        int colon = s.indexOf(':');
        return colon < 0 ? "" : s.substring(0, colon).strip();
    }

    /** The field's value with its line breaks removed, decoded as UTF-8 (RFC 6532). */
    private static String unfold(List<byte[]> field) {
        StringBuilder s = new StringBuilder();
        for (byte[] line : field) {
            s.append(new String(line, StandardCharsets.UTF_8));
        }
        int colon = s.indexOf(":");
        return colon < 0 ? "" : s.substring(colon + 1).strip();
    }
}
