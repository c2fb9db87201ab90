package dev.jsmtp.message;

import dev.jsmtp.Escaping;

import java.io.IOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** MIME types (RFC 2045 §5.1, RFC 6838): guessed from file names, and checked before they reach a header. */
final class ContentTypes {

    static final String DEFAULT = "application/octet-stream";

    // The JDK's tables differ between platforms and miss common office and web types; these come first.
    private static final Map<String, String> COMMON = Map.ofEntries(
            Map.entry("pdf", "application/pdf"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("svg", "image/svg+xml"), Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("txt", "text/plain"), Map.entry("csv", "text/csv"), Map.entry("html", "text/html"),
            Map.entry("htm", "text/html"), Map.entry("css", "text/css"), Map.entry("md", "text/markdown"),
            Map.entry("ics", "text/calendar"), Map.entry("xml", "application/xml"),
            Map.entry("json", "application/json"), Map.entry("js", "text/javascript"),
            Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"),
            Map.entry("tar", "application/x-tar"), Map.entry("7z", "application/x-7z-compressed"),
            Map.entry("eml", "message/rfc822"), Map.entry("mp3", "audio/mpeg"), Map.entry("wav", "audio/wav"),
            Map.entry("ogg", "audio/ogg"), Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"),
            Map.entry("doc", "application/msword"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            Map.entry("xls", "application/vnd.ms-excel"),
            Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            Map.entry("ppt", "application/vnd.ms-powerpoint"),
            Map.entry("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            Map.entry("odt", "application/vnd.oasis.opendocument.text"),
            Map.entry("ods", "application/vnd.oasis.opendocument.spreadsheet"));

    private static final Pattern TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*");

    private ContentTypes() {
    }

    /** The type for a file name: the table, then the JDK's guesses, then {@code application/octet-stream}. */
    static String guess(String fileName, Path file) {
        int dot = fileName.lastIndexOf('.');
        if (dot >= 0) {
            String known = COMMON.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
            if (known != null) {
                return known;
            }
        }
        String type = URLConnection.guessContentTypeFromName(fileName);
        if (type == null && file != null) {
            try {
                type = Files.probeContentType(file);
            } catch (IOException | SecurityException e) {
                type = null;
            }
        }
        return type != null && TYPE.matcher(type).matches() ? type.toLowerCase(Locale.ROOT) : DEFAULT;
    }

    /** The bare {@code type/subtype}, lower case; parameters are not accepted here. */
    static String check(String type) {
        String t = type.strip();
        if (!TYPE.matcher(t).matches()) {
            throw new IllegalArgumentException("not a MIME type of the form type/subtype: " + Escaping.escape(type));
        }
        return t.toLowerCase(Locale.ROOT);
    }
}
