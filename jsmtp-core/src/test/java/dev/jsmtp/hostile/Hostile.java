package dev.jsmtp.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.jsmtp.Envelope;
import dev.jsmtp.Escaping;
import dev.jsmtp.MessageContent;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpException;
import dev.jsmtp.TlsMode;
import dev.jsmtp.TranscriptEvent;
import dev.jsmtp.TranscriptListener;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/** Shared client settings and checks for the hostile-server suite. */
final class Hostile {

    /** Every wait of the client in this suite, unless a test sets its own: short, so hangs show quickly. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** The hard limit on one client call, enforced by interrupting it: well above every configured deadline. */
    static final Duration HANG = Duration.ofSeconds(15);

    static final Envelope ENVELOPE = Envelope.of("alice@example.org", "bob@example.net");
    static final MessageContent MESSAGE = MessageContent.of("From: alice@example.org\r\nTo: bob@example.net\r\n"
            + "Subject: hostile\r\n\r\nHello.\r\n");

    private Hostile() {
    }

    /** A plaintext client of {@code server} with short timeouts. */
    static SmtpClient.Builder client(AdversarialServer server) {
        return SmtpClient.builder("127.0.0.1").port(server.port()).tlsMode(TlsMode.NONE).timeout(TIMEOUT);
    }

    /** Sends {@link #MESSAGE} and expects a typed failure within {@link #HANG}; returns it. */
    static SmtpException sendFails(SmtpClient client) {
        return fails(() -> {
            try (client) {
                client.send(ENVELOPE, MESSAGE);
            }
        });
    }

    /** Runs {@code action} preemptively bounded and expects an {@link SmtpException}: no hang, no raw error. */
    static SmtpException fails(ThrowingAction action) {
        Throwable thrown = assertTimeoutPreemptively(HANG, () -> {
            try {
                action.run();
                return null;
            } catch (Throwable t) {
                return t;
            }
        }, "the client hung");
        if (thrown == null) {
            fail("expected a typed SmtpException, but the call succeeded");
        }
        if (!(thrown instanceof SmtpException smtp)) {
            throw new AssertionError("expected a typed SmtpException, got " + thrown, thrown);
        }
        return smtp;
    }

    /** Runs {@code action} preemptively bounded and expects it to succeed. */
    static SendResult succeeds(ThrowingSend action) {
        return assertTimeoutPreemptively(HANG, action::run, "the client hung");
    }

    /** The exception's messages along its cause chain and its printed stack trace: all a log would show. */
    static String everythingPrinted(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        StringBuilder all = new StringBuilder(out.toString());
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append('\n').append(c.getMessage()).append('\n').append(c);
        }
        return all.toString();
    }

    /** Asserts the text contains no raw control character: everything from a server must arrive escaped. */
    static void assertNoControlCharacters(String what, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f
                    || (c >= 0x80 && c < 0xa0) || c == '\u202e' || c == '\u2028' || c == '\u2029';
            if (control) {
                fail(what + " contains raw control character U+%04X at %d: %s", (int) c, i, Escaping.escape(text));
            }
        }
    }

    /** Checks a text of one line (no CR or LF at all). */
    static void assertOneLine(String what, String text) {
        assertThat(text).as(what + " must be one line").doesNotContain("\r").doesNotContain("\n");
        assertNoControlCharacters(what, text);
    }

    @FunctionalInterface
    interface ThrowingAction {
        void run() throws Throwable;
    }

    @FunctionalInterface
    interface ThrowingSend {
        SendResult run() throws Throwable;
    }

    /** Keeps every transcript event. */
    static final class Recorder implements TranscriptListener {
        private final List<TranscriptEvent> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onEvent(TranscriptEvent event) {
            events.add(event);
        }

        List<TranscriptEvent> events() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }

        /** The transcript as the CLI would print it, one event per line. */
        String text() {
            return events().stream().map(e -> e.kind() + " " + e.text()).collect(Collectors.joining("\n"));
        }
    }
}
