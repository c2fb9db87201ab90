package dev.jsmtp.cli;

import dev.jsmtp.Escaping;
import dev.jsmtp.TranscriptEvent;
import dev.jsmtp.TranscriptListener;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * Prints an SMTP conversation (RFC 5321 §4.1) the way the walk-through shows it: one line per command
 * ({@code C:}) and reply line ({@code S:}), TLS and connection events ({@code *}) and the content summary
 * ({@code >}), each after the seconds since the first event, such as {@code [+0.012] S: 220 mx ESMTP}.
 */
public final class TranscriptPrinter implements TranscriptListener {

    private final PrintStream out;
    private Instant start;

    public TranscriptPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void onEvent(TranscriptEvent event) {
        if (start == null) {
            start = event.time();
        }
        out.println(format(event, Duration.between(start, event.time())));
        out.flush();
    }

    /** One printed line for {@code event}, {@code elapsed} after the first. */
    public static String format(TranscriptEvent event, Duration elapsed) {
        String prefix = switch (event.kind()) {
            case CLIENT -> "C: ";
            case SERVER -> "S: ";
            case CONNECTION -> "*  ";
            case CONTENT -> ">  ";
        };
        long millis = Math.max(0, elapsed.toMillis());
        return String.format("[+%d.%03d] %s%s", millis / 1000, millis % 1000, prefix, controlsEscaped(event.text()));
    }

    /**
     * The text with any control character escaped. The core escapes already; this is a second line of defence
     * that leaves the core's escapes (and their backslashes) as they are, so they are not doubled. Every error line
     * the command prints goes through it (or is built from {@code Escaping.escape} of raw text), never through both.
     */
    static String controlsEscaped(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String one = c == '\\' ? "\\" : Escaping.escape(String.valueOf(c));
            if (one.length() != 1 && sb == null) {
                sb = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (sb != null) {
                sb.append(one);
            }
        }
        return sb == null ? text : sb.toString();
    }
}
