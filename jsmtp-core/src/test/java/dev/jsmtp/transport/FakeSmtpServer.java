package dev.jsmtp.transport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lenient SMTP server on loopback for pool and concurrency tests: any number of connections at once, each on
 * its own thread; EHLO announces the given extensions; MAIL, RCPT, DATA, BDAT, RSET, NOOP, AUTH and QUIT are
 * answered (AUTH: 235 unless a hook says otherwise). A {@link Hook} may replace any reply, close the connection
 * ({@code "!close"}) or stop answering ({@code "!stall"}); it is also called with {@code "<eod>"} once a
 * message's data has arrived, before its final reply, where {@code "!deliverThenClose"} delivers the message,
 * sends its 250 and closes the connection at once (a server ending a session silently after a reply). With {@code keep} false, message data is counted, not
 * kept (a discard server).
 */
public final class FakeSmtpServer implements AutoCloseable {

    /** Replaces replies; return null for the default. */
    @FunctionalInterface
    public interface Hook {
        String reply(Connection connection, String line);
    }

    /** One client connection's state, visible to hooks. */
    public static final class Connection {
        public final int id;
        public int messages;
        public String lastToken;

        Connection(int id) {
            this.id = id;
        }
    }

    /** A delivered message: which connection, the envelope, the data (empty when not kept). */
    public record Delivery(int connection, String from, List<String> to, byte[] data) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** Hook answer to {@code "<eod>"}: deliver, reply 250, then close the connection without a 421. */
    public static final String CLOSE_AFTER_REPLY = "!deliverThenClose";

    private final ServerSocket listener;
    private final List<String> extensions;
    private final boolean keep;
    private volatile Hook hook = (c, l) -> null;
    private final List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
    private final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private final AtomicInteger quits = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();
    private final AtomicInteger closedByServer = new AtomicInteger();
    private final AtomicLong octets = new AtomicLong();

    public FakeSmtpServer(List<String> extensions, boolean keep) throws IOException {
        this.listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        this.extensions = List.copyOf(extensions);
        this.keep = keep;
        Thread acceptor = new Thread(this::accept, "fake-smtp-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** PIPELINING, CHUNKING, 8BITMIME, AUTH PLAIN XOAUTH2, ENHANCEDSTATUSCODES. */
    public static FakeSmtpServer modern() throws IOException {
        return new FakeSmtpServer(List.of("PIPELINING", "CHUNKING", "8BITMIME", "AUTH PLAIN XOAUTH2",
                "ENHANCEDSTATUSCODES"), true);
    }

    /** No extensions but 8BITMIME: every command waits for its reply, the data goes with DATA. */
    public static FakeSmtpServer lockStep() throws IOException {
        return new FakeSmtpServer(List.of("8BITMIME"), true);
    }

    public FakeSmtpServer hook(Hook hook) {
        this.hook = hook;
        return this;
    }

    public int port() {
        return listener.getLocalPort();
    }

    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    public List<String> commands() {
        return List.copyOf(commands);
    }

    public long commandCount(String prefix) {
        return commands().stream().filter(c -> c.startsWith(prefix)).count();
    }

    public int connections() {
        return connections.get();
    }

    public int maxConcurrentConnections() {
        return maxConcurrent.get();
    }

    public int quits() {
        return quits.get();
    }

    /** Connections whose client closed the socket (after QUIT or without it). */
    public int closedByClient() {
        return closedByClient.get();
    }

    /** Connections the server closed right after a reply ({@link #CLOSE_AFTER_REPLY}). */
    public int closedByServer() {
        return closedByServer.get();
    }

    /** Message octets received in all (data and BDAT chunks). */
    public long octets() {
        return octets.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                s.setTcpNoDelay(true); // replies written one by one must not wait for the client's delayed ACK
                sockets.add(s);
                Connection c = new Connection(connections.incrementAndGet());
                Thread t = new Thread(() -> serve(s, c), "fake-smtp-" + c.id);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, Connection c) {
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        boolean ended = false;
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            OutputStream out = socket.getOutputStream();
            write(out, "220 fake.example ESMTP");
            String from = null;
            List<String> to = new ArrayList<>();
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            while (true) {
                String line = readLine(in);
                if (line == null) {
                    closedByClient.incrementAndGet();
                    return;
                }
                commands.add(line);
                String verb = line.split(" ", 2)[0].toUpperCase();
                String override = hook.reply(c, line);
                if (verb.equals("AUTH") && line.contains("XOAUTH2") && line.split(" ").length > 2) {
                    String decoded = new String(Base64.getDecoder().decode(line.split(" ")[2]),
                            StandardCharsets.UTF_8);
                    c.lastToken = decoded.replaceAll("(?s).*auth=Bearer ([^\u0001]*).*", "$1");
                    override = hook.reply(c, line);
                }
                if (verb.equals("BDAT")) {
                    String[] parts = line.split(" ");
                    long n = Long.parseLong(parts[1]);
                    readData(in, n, data);
                    if (parts.length > 2) {
                        String eod = hook.reply(c, "<eod>");
                        if (act(eod, socket, in)) {
                            return;
                        }
                        if (CLOSE_AFTER_REPLY.equals(eod)) {
                            write(out, deliver(c, from, to, data, null));
                            socket.close();
                            closedByServer.incrementAndGet();
                            return;
                        }
                        write(out, deliver(c, from, to, data, eod));
                        from = null;
                        to = new ArrayList<>();
                        data = new ByteArrayOutputStream();
                    } else {
                        write(out, "250 2.0.0 " + n + " octets");
                    }
                    continue;
                }
                if (act(override, socket, in)) {
                    return;
                }
                if (override != null) {
                    write(out, override);
                    continue;
                }
                switch (verb) {
                    case "EHLO" -> {
                        StringBuilder r = new StringBuilder("250-fake.example");
                        for (int i = 0; i < extensions.size(); i++) {
                            r.append("\r\n250").append(i == extensions.size() - 1 ? " " : "-").append(extensions.get(i));
                        }
                        write(out, extensions.isEmpty() ? "250 fake.example" : r.toString());
                    }
                    case "AUTH" -> write(out, "235 2.7.0 Authentication successful");
                    case "MAIL" -> {
                        from = line.replaceAll("(?i)MAIL FROM:<([^>]*)>.*", "$1");
                        to = new ArrayList<>();
                        write(out, "250 2.1.0 Ok");
                    }
                    case "RCPT" -> {
                        to.add(line.replaceAll("(?i)RCPT TO:<([^>]*)>.*", "$1"));
                        write(out, "250 2.1.5 Ok");
                    }
                    case "DATA" -> {
                        write(out, "354 End data with <CR><LF>.<CR><LF>");
                        readDotted(in, data);
                        String eod = hook.reply(c, "<eod>");
                        if (act(eod, socket, in)) {
                            return;
                        }
                        if (CLOSE_AFTER_REPLY.equals(eod)) {
                            write(out, deliver(c, from, to, data, null));
                            socket.close();
                            closedByServer.incrementAndGet();
                            return;
                        }
                        write(out, deliver(c, from, to, data, eod));
                        data = new ByteArrayOutputStream();
                    }
                    case "RSET", "NOOP" -> {
                        from = null;
                        to = new ArrayList<>();
                        data = new ByteArrayOutputStream();
                        write(out, "250 2.0.0 Ok");
                    }
                    case "QUIT" -> {
                        quits.incrementAndGet();
                        // Ended before its 221: a client that opens the next connection once it has the 221 is
                        // within its limit, however late this thread runs.
                        ended = true;
                        concurrent.decrementAndGet();
                        write(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> write(out, "500 5.5.2 unknown command");
                }
            }
        } catch (IOException e) {
            // The client went away.
        } finally {
            if (!ended) {
                concurrent.decrementAndGet();
            }
        }
    }

    /** Performs "!close" or "!stall"; true when the connection is done. */
    private boolean act(String override, Socket socket, InputStream in) throws IOException {
        if ("!close".equals(override)) {
            socket.close();
            return true;
        }
        if ("!stall".equals(override)) {
            while (in.read() != -1) {
                // Swallow whatever comes until the client closes.
            }
            closedByClient.incrementAndGet();
            return true;
        }
        return false;
    }

    private String deliver(Connection c, String from, List<String> to, ByteArrayOutputStream data, String eod) {
        if (from == null || to.isEmpty()) {
            return "554 5.5.1 Error: no valid recipients";
        }
        if (eod != null) {
            return eod;
        }
        c.messages++;
        deliveries.add(new Delivery(c.id, from, List.copyOf(to), keep ? data.toByteArray() : new byte[0]));
        return "250 2.0.0 queued as " + c.id + "." + c.messages;
    }

    private void readData(InputStream in, long n, ByteArrayOutputStream data) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new IOException("EOF in BDAT");
            }
            if (keep) {
                data.write(buf, 0, r);
            }
            left -= r;
        }
        octets.addAndGet(n);
    }

    private void readDotted(InputStream in, ByteArrayOutputStream data) throws IOException {
        while (true) {
            String line = readLine(in);
            if (line == null) {
                throw new IOException("EOF in DATA");
            }
            if (line.equals(".")) {
                return;
            }
            String unstuffed = line.startsWith(".") ? line.substring(1) : line;
            octets.addAndGet(unstuffed.length() + 2);
            if (keep) {
                data.writeBytes((unstuffed + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Closes every client connection from the server side (as a server dropping idle clients). */
    public void dropAllConnections() throws IOException {
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        dropAllConnections();
    }
}
