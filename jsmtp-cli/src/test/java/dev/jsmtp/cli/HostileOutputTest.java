package dev.jsmtp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server's words reach the user's terminal only escaped (issue #6): greetings and replies carrying terminal
 * escape sequences (OSC title, erase screen, the C1 CSI byte, bidi overrides) and servers that send garbage make
 * {@code jsmtp send} print one escaped line on standard error (and with {@code -v} an escaped transcript), never a
 * stack trace, and exit with the documented status.
 */
class HostileOutputTest {

    /** OSC "set window title" ended by BEL, CSI "erase screen", a raw C1 CSI (0x9b) and a right-to-left override. */
    private static final byte[] HOSTILE = concat(ascii("evil\u001b]0;pwned\u0007\u001b[2J"), new byte[] {(byte) 0x9b},
            ascii("31m red "), "\u202etxet.exe \u2066x\u2069".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path home;

    @Test
    void escapesInTheGreetingEhloAndRefusalAreShownEscapedOnOneLine() throws IOException {
        Function<String, byte[]> replies = line -> {
            if (line.startsWith("EHLO")) {
                return concat(ascii("250-mx.example.org "), HOSTILE, ascii("\r\n250 8BITMIME\r\n"));
            }
            if (line.startsWith("MAIL")) {
                return concat(ascii("550 5.7.1 "), HOSTILE, ascii("\r\n"));
            }
            return null;
        };
        byte[] greeting = concat(ascii("220 mx.example.org "), HOSTILE, ascii("\r\n"));
        for (boolean verbose : new boolean[] {false, true}) {
            try (RawServer server = new RawServer(greeting, replies)) {
                TestCli t = send(server, verbose);

                assertThat(t.exit).as(t.err()).isEqualTo(ExitCode.UNAVAILABLE);
                assertSafe(t, verbose);
                // Escaped once: the core's escapes are printed as they are, not doubled.
                assertThat(lastLine(t)).startsWith("jsmtp: ").contains("550").contains("\\x1B]0;pwned\\x07")
                        .contains("\\u+202Etxet.exe").doesNotContain("\\\\");
                if (verbose) {
                    assertThat(t.err()).contains("S: 220 mx.example.org evil\\x1B]0;pwned\\x07\\x1B[2J\\x9B31m red "
                            + "\\u+202Etxet.exe \\u+2066x\\u+2069");
                }
            }
        }
    }

    @Test
    void aRefusingGreetingWithEscapesExitsUnavailableOrTemporary() throws IOException {
        for (String code : new String[] {"554", "421"}) {
            try (RawServer server = new RawServer(concat(ascii(code + " "), HOSTILE, ascii("\r\n")), line -> null)) {
                TestCli t = send(server, false);

                assertThat(t.exit).as(code + ": " + t.err())
                        .isEqualTo(code.equals("554") ? ExitCode.UNAVAILABLE : ExitCode.TEMPORARY_FAILURE);
                assertSafe(t, false);
                assertThat(t.err()).contains(code);
            }
        }
    }

    @Test
    void garbageInsteadOfRepliesIsAProtocolError() throws IOException {
        byte[][] greetings = {
            ascii("HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n\r\n<html>\u001b[2J</html>\r\n"),
            concat(new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, 0x1b, '[', '2', 'J', (byte) 0x9b}, HOSTILE,
                    ascii("\r\n")),
            concat(ascii("220-mx\r\n250 "), HOSTILE, ascii("\r\n")),
        };
        for (byte[] greeting : greetings) {
            try (RawServer server = new RawServer(greeting, line -> null)) {
                TestCli t = send(server, true);

                assertThat(t.exit).as(t.err()).isEqualTo(ExitCode.PROTOCOL);
                assertSafe(t, true);
                assertThat(lastLine(t)).startsWith("jsmtp: ");
            }
        }
    }

    @Test
    void garbageInAReplyAfterTheGreetingIsAProtocolError() throws IOException {
        Function<String, byte[]> replies = line -> line.startsWith("EHLO")
                ? concat(ascii("25O "), HOSTILE, ascii("\r\n")) : null;
        try (RawServer server = new RawServer(ascii("220 mx.example.org ESMTP\r\n"), replies)) {
            TestCli t = send(server, false);

            assertThat(t.exit).as(t.err()).isEqualTo(ExitCode.PROTOCOL);
            assertSafe(t, false);
            assertThat(t.err()).contains("25O");
        }
    }

    private TestCli send(RawServer server, boolean verbose) {
        TestCli t = new TestCli(home);
        List<String> args = new ArrayList<>(List.of("send", "--server", server.address(), "--tls", "none",
                "--from", "me@example.org", "--to", "you@example.net", "--subject", "Hi", "--body", "Hello",
                "--timeout", "5"));
        if (verbose) {
            args.add("-v");
        }
        t.exit = t.run(args.toArray(String[]::new));
        return t;
    }

    /** No control character reaches the terminal; one line (and hints) without -v; no stack trace. */
    private static void assertSafe(TestCli t, boolean verbose) {
        String everything = t.out() + t.err();
        for (int i = 0; i < everything.length(); i++) {
            char c = everything.charAt(i);
            boolean control = (c < 0x20 && c != '\n') || (c >= 0x7f && c < 0xa0)
                    || (c >= '\u200b' && c <= '\u200f') || (c >= '\u202a' && c <= '\u202e')
                    || (c >= '\u2066' && c <= '\u2069') || c == '\u2028' || c == '\u2029';
            assertThat(control).as("U+%04X at %d in:%n%s", (int) c, i, everything).isFalse();
        }
        // A lone 0x9b is not valid UTF-8: the reply text holds U+FFFD for it (harmless), the transcript \x9B.
        assertThat(everything).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(t.out()).isEmpty();
        // One error line, perhaps followed by hints.
        if (!verbose) {
            assertThat(t.err().lines().filter(l -> !l.startsWith("jsmtp: hint: "))).as(t.err()).hasSize(1);
        }
        assertThat(t.err().lines().filter(l -> l.startsWith("jsmtp: ") && !l.startsWith("jsmtp: hint: ")).count())
                .as(t.err()).isEqualTo(1);
    }

    private static String lastLine(TestCli t) {
        List<String> lines = t.err().lines().toList();
        return lines.get(lines.size() - 1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A loopback server that writes raw bytes: the greeting, then a chosen reply (or "250 ok") to each line. */
    private static final class RawServer implements AutoCloseable {
        private final ServerSocket socket;
        private final byte[] greeting;
        private final Function<String, byte[]> replies;

        RawServer(byte[] greeting, Function<String, byte[]> replies) throws IOException {
            this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            this.greeting = greeting;
            this.replies = replies;
            Thread thread = new Thread(this::serve, "raw-smtp");
            thread.setDaemon(true);
            thread.start();
        }

        String address() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    OutputStream out = s.getOutputStream();
                    InputStream in = s.getInputStream();
                    out.write(greeting);
                    out.flush();
                    for (String line; (line = readLine(in)) != null; ) {
                        byte[] reply = replies.apply(line);
                        out.write(reply != null ? reply : ascii(line.equals("QUIT") ? "221 bye\r\n" : "250 ok\r\n"));
                        out.flush();
                    }
                } catch (IOException e) {
                    // The client went away; wait for the next.
                }
            }
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b; (b = in.read()) != -1; ) {
                if (b == '\n') {
                    return line.toString(StandardCharsets.ISO_8859_1).strip();
                }
                line.write(b);
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
