package dev.jsmtp.hostile;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One connection as a hostile server sees it: writes go out as single segments (TCP_NODELAY, one write each),
 * reads are recorded byte for byte, and the socket can be upgraded to TLS, left unread, or closed at any moment.
 */
final class Peer {

    static final String GREETING = "220 hostile.test ESMTP ready";

    private final AdversarialServer server;
    private final Socket tcp;
    private Socket socket;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<byte[]> bodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    private volatile Throwable failure;
    private volatile boolean tlsActive;

    Peer(AdversarialServer server, Socket socket, Socket tcp) {
        this.server = server;
        this.socket = socket;
        this.tcp = tcp;
        this.tlsActive = socket instanceof SSLSocket;
    }

    // ---- what the client sent ------------------------------------------------------------------------------

    /** Every byte read from the client so far (plaintext before TLS, decrypted after). */
    byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    /** The command lines read so far by {@link #readLine()}, without CRLF. */
    List<String> commands() {
        synchronized (commands) {
            return List.copyOf(commands);
        }
    }

    /** True when any command line read so far starts with {@code verb} (case-insensitive). */
    boolean sawCommand(String verb) {
        return commands().stream().anyMatch(c -> c.toUpperCase(Locale.ROOT).startsWith(verb.toUpperCase(Locale.ROOT)));
    }

    /** Message bodies as they came over the wire: DATA with its dot-stuffing and end marker, BDAT chunks joined. */
    List<byte[]> bodies() {
        synchronized (bodies) {
            return List.copyOf(bodies);
        }
    }

    Throwable failure() {
        return failure;
    }

    boolean tlsActive() {
        return tlsActive;
    }

    void handshakeOrHandlerFailed(Throwable t) {
        this.failure = t;
    }

    // ---- writing -------------------------------------------------------------------------------------------

    /** Sends the lines, each with CRLF, in one write (one TCP segment on loopback). */
    void reply(String... lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            sb.append(line).append("\r\n");
        }
        raw(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the octets in one write. */
    void raw(byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /** Sends text as ISO-8859-1 octets (each char one octet), so any byte can be written. */
    void rawLatin1(String text) throws IOException {
        raw(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends one octet at a time, pausing between them. */
    void drip(byte[] bytes, Duration pause) throws IOException, InterruptedException {
        OutputStream out = socket.getOutputStream();
        for (byte b : bytes) {
            out.write(b);
            out.flush();
            Thread.sleep(pause.toMillis());
        }
    }

    /** Writes {@code pattern} repeatedly up to {@code total} octets; returns how many left before the client quit. */
    long flood(byte[] pattern, long total) {
        long sent = 0;
        try {
            OutputStream out = socket.getOutputStream();
            while (sent < total) {
                out.write(pattern);
                sent += pattern.length;
            }
            out.flush();
        } catch (IOException clientHungUp) {
            // Expected: the client stopped reading and closed.
        }
        return sent;
    }

    // ---- reading -------------------------------------------------------------------------------------------

    private int read() throws IOException {
        int b = socket.getInputStream().read();
        if (b >= 0) {
            synchronized (received) {
                received.write(b);
            }
        }
        return b;
    }

    /** The next line the client sent, without its CRLF (UTF-8). */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = read();
            if (b < 0) {
                throw new EOFException("client closed; partial line: " + line.toString(StandardCharsets.UTF_8));
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                String text = new String(bytes, 0, n, StandardCharsets.UTF_8);
                commands.add(text);
                return text;
            }
            line.write(b);
        }
    }

    /** Reads a line and fails unless it starts with {@code prefix} (case-insensitive). */
    String expect(String prefix) throws IOException {
        String line = readLine();
        if (!line.toUpperCase(Locale.ROOT).startsWith(prefix.toUpperCase(Locale.ROOT))) {
            throw new AssertionError("expected " + prefix + "..., got: " + line);
        }
        return line;
    }

    /** Reads exactly {@code n} octets. */
    byte[] readExactly(long n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long i = 0; i < n; i++) {
            int b = read();
            if (b < 0) {
                throw new EOFException("client closed after " + i + " of " + n + " octets");
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    /** Reads DATA content up to and including the CRLF.CRLF end marker (RFC 5321 §4.1.1.4). */
    byte[] readUntilEndOfData() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] tail = new byte[5];
        int count = 0;
        while (true) {
            int b = read();
            if (b < 0) {
                throw new EOFException("client closed inside DATA after " + count + " octets");
            }
            out.write(b);
            System.arraycopy(tail, 1, tail, 0, 4);
            tail[4] = (byte) b;
            count++;
            boolean marker = tail[0] == '\r' && tail[1] == '\n' && tail[2] == '.' && tail[3] == '\r' && tail[4] == '\n';
            boolean emptyMessage = count == 3 && tail[2] == '.' && tail[3] == '\r' && tail[4] == '\n';
            if (marker || emptyMessage) {
                return out.toByteArray();
            }
        }
    }

    /** Reads whatever comes until the client closes; false when {@code limit} passes first. */
    boolean awaitEof(Duration limit) throws IOException {
        int before = socket.getSoTimeout();
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) left);
                try {
                    if (read() < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    return false;
                } catch (IOException reset) {
                    return true;
                }
            }
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(before);
            }
        }
    }

    /**
     * True when the client sends nothing for {@code quiet}: it is waiting for a reply rather than pipelining. A byte
     * that does arrive is recorded and lost to later reads, so the caller's script stops making sense (as it should).
     */
    boolean staysQuiet(Duration quiet) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout((int) quiet.toMillis());
        try {
            return read() < 0;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(before);
        }
    }

    /** Stops reading (the receive window fills and closes) until the test ends. */
    void stallUntilTestEnds() throws InterruptedException {
        server.awaitClosed(60_000);
    }

    // ---- SMTP helpers --------------------------------------------------------------------------------------

    void greet() throws IOException {
        reply(GREETING);
    }

    /** Reads EHLO and answers 250 with these extension lines. */
    void ehlo(String... extensions) throws IOException {
        expect("EHLO");
        reply(ehloReply(extensions));
    }

    static String[] ehloReply(String... extensions) {
        String[] lines = new String[extensions.length + 1];
        lines[0] = (extensions.length == 0 ? "250 " : "250-") + "hostile.test greets you";
        for (int i = 0; i < extensions.length; i++) {
            lines[i + 1] = (i == extensions.length - 1 ? "250 " : "250-") + extensions[i];
        }
        return lines;
    }

    /** Answers STARTTLS with 220 and handshakes as the server. */
    void startTls(SSLContext context) throws IOException {
        expect("STARTTLS");
        reply("220 2.0.0 Ready to start TLS");
        handshake(context);
    }

    /** Server-side TLS handshake on the current connection. */
    void handshake(SSLContext context) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.setSoTimeout(socket.getSoTimeout());
        ssl.startHandshake();
        socket = ssl;
        tlsActive = true;
    }

    /**
     * A well-behaved rest of the session: answers MAIL, RCPT, RSET, NOOP with 250, DATA with 354 and reads the
     * data, BDAT by reading its octets, QUIT with 221; stops at QUIT or when the client closes.
     */
    void serveTransactions() throws IOException {
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        while (true) {
            String line;
            try {
                line = readLine();
            } catch (EOFException closed) {
                return;
            }
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("MAIL") || upper.startsWith("RCPT") || upper.startsWith("RSET")
                    || upper.startsWith("NOOP")) {
                reply("250 2.0.0 OK");
            } else if (upper.equals("DATA")) {
                reply("354 End data with <CR><LF>.<CR><LF>");
                bodies.add(readUntilEndOfData());
                reply("250 2.0.0 OK queued");
            } else if (upper.startsWith("BDAT ")) {
                String[] parts = line.split(" ");
                chunks.writeBytes(readExactly(Long.parseLong(parts[1])));
                boolean last = parts.length > 2 && parts[2].equalsIgnoreCase("LAST");
                if (last) {
                    bodies.add(chunks.toByteArray());
                    chunks.reset();
                }
                reply(last ? "250 2.0.0 OK queued" : "250 2.0.0 chunk OK");
            } else if (upper.equals("QUIT")) {
                reply("221 2.0.0 Bye");
                return;
            } else {
                reply("500 5.5.1 Unrecognised command");
            }
        }
    }

    /**
     * Joins this connection to another server on loopback {@code port} and copies octets both ways until either
     * side closes: the TLS handshake after STARTTLS then happens with that server (an out-of-process one).
     */
    void relayTo(int port) throws IOException, InterruptedException {
        try (Socket upstream = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            Thread up = new Thread(() -> copy(socket, upstream), "relay-up");
            up.setDaemon(true);
            up.start();
            copy(upstream, socket);
            up.join(5_000);
        }
    }

    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException closed) {
            // Either side hung up: the relay ends.
        }
    }

    /** Closes the connection with a TCP reset instead of a FIN. */
    void reset() throws IOException {
        tcp.setSoLinger(true, 0);
        tcp.close();
    }

    void close() throws IOException {
        socket.close();
    }

    void closeQuietly() {
        try {
            socket.close();
            tcp.close();
        } catch (IOException ignored) {
            // Teardown.
        }
    }
}
