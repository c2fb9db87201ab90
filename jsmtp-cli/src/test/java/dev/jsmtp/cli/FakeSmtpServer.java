package dev.jsmtp.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A loopback SMTP server (RFC 5321) whose replies a test chooses, for the cases real servers will not produce on
 * demand: refused recipients, 4xx, 5xx greetings, malformed replies, stalls, dropped connections. It records every
 * line it receives and the content of each DATA.
 */
final class FakeSmtpServer implements AutoCloseable {

    /** Reply text that makes the server go silent (for timeouts). */
    static final String STALL = "(stall)";

    /** Reply text that makes the server close the connection without a reply (a crash, a dropped link). */
    static final String CLOSE = "(close)";

    static final String EHLO_PLAIN = "250-fake.example.org\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
            + "250-ENHANCEDSTATUSCODES\r\n250 AUTH PLAIN LOGIN";

    private final ServerSocket socket;
    private final String greeting;
    private final Function<String, String> replies;
    final List<String> received = new CopyOnWriteArrayList<>();
    final List<String> messages = new CopyOnWriteArrayList<>();

    /**
     * @param replies the reply to each command line, CRLF between lines of a multi-line reply; "." stands for the
     *                end of data. Return {@code null} for the default reply.
     */
    FakeSmtpServer(String greeting, Function<String, String> replies) throws IOException {
        this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.greeting = greeting;
        this.replies = replies;
        Thread t = new Thread(this::serve, "fake-smtp");
        t.setDaemon(true);
        t.start();
    }

    FakeSmtpServer(Function<String, String> replies) throws IOException {
        this("220 fake.example.org ESMTP", replies);
    }

    int port() {
        return socket.getLocalPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    /** The verbs received, in order: EHLO, MAIL, RCPT, DATA … */
    List<String> verbs() {
        return received.stream().map(l -> l.split("[ :]", 2)[0].toUpperCase()).toList();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                converse(s);
            } catch (IOException e) {
                // The client went away; wait for the next.
            }
        }
    }

    private void converse(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = s.getOutputStream();
        if (greeting.equals(STALL)) {
            stall(in);
            return;
        }
        write(out, greeting);
        if (greeting.startsWith("4") || greeting.startsWith("5")) {
            drainUntilQuit(in, out);
            return;
        }
        for (String line; (line = in.readLine()) != null; ) {
            received.add(line);
            String upper = line.toUpperCase();
            String chosen = replies.apply(line);
            String reply = chosen != null ? chosen : defaultReply(upper);
            if (reply.equals(STALL)) {
                stall(in);
                return;
            }
            if (reply.equals(CLOSE)) {
                return;
            }
            write(out, reply);
            if (reply.startsWith("334")) {
                // SASL: AUTH LOGIN asks for the user then the password; AUTH PLAIN for one response.
                String response = in.readLine();
                received.add(response);
                if (upper.startsWith("AUTH LOGIN")) {
                    write(out, "334 UGFzc3dvcmQ6");
                    received.add(in.readLine());
                }
                String verdict = replies.apply("(auth-response)");
                write(out, verdict != null ? verdict : "235 2.7.0 authenticated");
                continue;
            }
            if (upper.equals("DATA") && reply.startsWith("354")) {
                StringBuilder content = new StringBuilder();
                for (String d; (d = in.readLine()) != null && !d.equals("."); ) {
                    content.append(d.startsWith("..") ? d.substring(1) : d).append("\r\n");
                }
                messages.add(content.toString());
                String end = replies.apply(".");
                if (STALL.equals(end)) {
                    stall(in);
                    return;
                }
                if (CLOSE.equals(end)) {
                    return;
                }
                write(out, end != null ? end : "250 2.0.0 queued as FAKE1");
            }
            if (upper.equals("QUIT")) {
                return;
            }
        }
    }

    private void drainUntilQuit(BufferedReader in, OutputStream out) throws IOException {
        for (String line; (line = in.readLine()) != null; ) {
            received.add(line);
            write(out, line.equalsIgnoreCase("QUIT") ? "221 bye" : "503 5.5.1 no service");
            if (line.equalsIgnoreCase("QUIT")) {
                return;
            }
        }
    }

    private static String defaultReply(String upper) {
        if (upper.startsWith("EHLO")) {
            return EHLO_PLAIN;
        }
        if (upper.equals("DATA")) {
            return "354 go ahead";
        }
        if (upper.equals("QUIT")) {
            return "221 2.0.0 bye";
        }
        if (upper.startsWith("AUTH LOGIN")) {
            return "334 VXNlcm5hbWU6";
        }
        if (upper.trim().equals("AUTH PLAIN")) {
            return "334 ";
        }
        if (upper.startsWith("AUTH")) {
            return "235 2.7.0 authenticated";
        }
        return "250 2.0.0 ok";
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Answers nothing more; waits for the client to give up and close. */
    private static void stall(BufferedReader in) throws IOException {
        while (in.readLine() != null) {
            // Discard.
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
