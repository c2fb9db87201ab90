package dev.jsmtp.message;

import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.MailboxList;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What an independent parser decoded from a message: Apache James mime4j in this JVM, or Python 3's email package
 * in a subprocess. Tests compare these with what they put into the message.
 */
record DecodedMessage(String parser, String subject, List<String> from, List<String> to, List<String> cc,
                      List<String> bcc, List<Part> parts, List<String> defects) {

    /** One leaf part: type, disposition, decoded file name, Content-ID, SHA-256 of the decoded octets, text. */
    record Part(String contentType, String disposition, String filename, String contentId, long size,
                String sha256, String text) {
    }

    private static final Path SCRIPT = Path.of("src/test/python/parse_message.py");
    private static volatile Boolean pythonPresent;

    static DecodedMessage mime4j(byte[] message) throws IOException {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.STRICT);
        Message m = builder.parseMessage(new ByteArrayInputStream(message));
        List<Part> parts = new ArrayList<>();
        collect(m, parts);
        return new DecodedMessage("mime4j", m.getSubject(), names(m.getFrom()), names(m.getTo()), names(m.getCc()),
                names(m.getBcc()), parts, List.of());
    }

    private static void collect(Entity e, List<Part> out) throws IOException {
        if (e.getBody() instanceof Multipart mp) {
            for (Entity child : mp.getBodyParts()) {
                collect(child, out);
            }
            return;
        }
        byte[] data;
        try (InputStream in = ((SingleBody) e.getBody()).getInputStream()) {
            data = in.readAllBytes();
        }
        Field cid = e.getHeader().getField("Content-ID");
        String text = e.getMimeType().startsWith("text/") && e.getDispositionType() == null
                ? new String(data, Charset.forName(e.getCharset())) : null;
        out.add(new Part(e.getMimeType(), e.getDispositionType(), e.getFilename(),
                cid == null ? null : cid.getBody().strip(), data.length, sha256(data), text));
    }

    private static List<String> names(MailboxList list) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            list.forEach(m -> out.add((m.getName() == null ? "" : m.getName()) + " <" + m.getAddress() + ">"));
        }
        return out;
    }

    private static List<String> names(AddressList list) {
        return list == null ? List.of() : names(list.flatten());
    }

    /** True when python3 can be run; when it cannot, says so loudly on standard error. */
    static boolean pythonPresent() {
        Boolean present = pythonPresent;
        if (present == null) {
            try {
                Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
                present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                present = false;
            }
            if (!present) {
                System.err.println("WARNING: python3 is absent: the cross-check with Python's email package is "
                        + "NOT run; messages are checked by mime4j only");
            }
            pythonPresent = present;
        }
        return present;
    }

    static DecodedMessage python(byte[] message) throws IOException, InterruptedException {
        Path file = Files.createTempFile("jsmtp-message", ".eml");
        try {
            Files.write(file, message);
            Process p = new ProcessBuilder("python3", SCRIPT.toString(), file.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("parse_message.py failed with exit code " + p.exitValue());
            }
            Map<String, String> v = new LinkedHashMap<>();
            for (String line : new String(output, StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank()) {
                    String[] kv = line.split("\t", 2);
                    v.put(kv[0], new String(Base64.getDecoder().decode(kv[1].strip()), StandardCharsets.UTF_8));
                }
            }
            List<Part> parts = new ArrayList<>();
            for (int i = 0; i < count(v, "parts"); i++) {
                String k = "parts." + i + ".";
                parts.add(new Part(v.get(k + "contentType"), v.get(k + "disposition"), v.get(k + "filename"),
                        v.get(k + "contentId"), Long.parseLong(v.get(k + "size")), v.get(k + "sha256"),
                        v.get(k + "text")));
            }
            List<String> defects = new ArrayList<>();
            for (int i = 0; i < count(v, "defects"); i++) {
                defects.add(v.get("defects." + i));
            }
            for (int i = 0; i < count(v, "parts"); i++) {
                for (int d = 0; d < count(v, "parts." + i + ".defects"); d++) {
                    defects.add(v.get("parts." + i + ".defects." + d));
                }
            }
            return new DecodedMessage("python", v.get("subject"), addresses(v, "from"), addresses(v, "to"),
                    addresses(v, "cc"), addresses(v, "bcc"), parts, defects);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static int count(Map<String, String> v, String key) {
        return Integer.parseInt(v.getOrDefault(key + ".count", "0"));
    }

    private static List<String> addresses(Map<String, String> v, String key) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count(v, key); i++) {
            out.add(v.get(key + "." + i + ".name") + " <" + v.get(key + "." + i + ".address") + ">");
        }
        return out;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
