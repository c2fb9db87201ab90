package dev.jsmtp.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A strict SMTP server on loopback that plays a golden transcript: {@code S:} lines are sent (consecutive ones in
 * one write), {@code C:} lines must arrive from the client byte for byte, {@code D:} lines are raw client bytes
 * with escapes ({@code \r \n \\ \xNN}). Directives: {@code !tls} (server-side handshake), {@code !close},
 * {@code !eof} (expect the client to close), {@code !sleep MS}, {@code !drip MS} (next S: group one byte at a
 * time), {@code !raw ESCAPED} (send raw bytes), {@code !stall} (stop reading until the client goes),
 * {@code !accept} (take the next connection), {@code !mark NAME} (remember the client-turn count).
 *
 * <p>A client turn is a burst of client bytes between two server writes; the server counts one each time it
 * reads client bytes after having written something. Mismatches fail {@link #awaitDone} with both sides shown.
 */
public final class ScriptedServer implements AutoCloseable {

    private final ServerSocket listener;
    private final List<String> script;
    private final SSLContext tls;
    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private final List<String> received = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> marks = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile Throwable failure;
    private volatile int turns;
    private volatile Socket socket;
    private boolean wroteSinceRead = true;

    private ScriptedServer(List<String> script, SSLContext tls) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        this.tls = tls;
        this.thread = new Thread(this::run, "scripted-server-" + listener.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** Plays {@code scriptText} (lines as described in the class comment). */
    public static ScriptedServer start(String scriptText) throws IOException {
        return start(scriptText, null);
    }

    /** Plays {@code scriptText}; {@code !tls} handshakes with {@code tls}. */
    public static ScriptedServer start(String scriptText, SSLContext tls) throws IOException {
        return new ScriptedServer(List.of(scriptText.split("\n", -1)), tls);
    }

    /** Plays the transcript {@code src/test/resources/transcripts/NAME.txt}. */
    public static ScriptedServer fromTranscript(String name, SSLContext tls) throws IOException {
        var url = ScriptedServer.class.getResource("/transcripts/" + name + ".txt");
        if (url == null) {
            throw new IOException("no transcript " + name);
        }
        try {
            return start(Files.readString(Paths.get(url.toURI()), StandardCharsets.UTF_8), tls);
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Client turns counted so far. */
    public int clientTurns() {
        return turns;
    }

    /** Client turns between two {@code !mark} directives. */
    public int turnsBetween(String fromMark, String toMark) {
        return marks.get(toMark) - marks.get(fromMark);
    }

    /** The lines (C:) and raw blocks (D:) received so far. */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** Waits for the script to finish; throws AssertionError on a mismatch, a server error or a timeout. */
    public void awaitDone(Duration timeout) throws InterruptedException {
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("script not finished after " + timeout + "; received so far: " + received);
        }
        if (failure != null) {
            throw new AssertionError("script failed: " + failure.getMessage() + "; received: " + received, failure);
        }
    }

    private void run() {
        try {
            socket = listener.accept();
            socket.setSoTimeout(20_000);
            play();
        } catch (Throwable t) {
            failure = t;
        } finally {
            closeQuietly();
            done.countDown();
        }
    }

    private void play() throws IOException, InterruptedException {
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        int dripMillis = 0;
        for (String raw : script) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isBlank() || line.startsWith("#") || line.startsWith("@")) {
                continue;
            }
            if (line.startsWith("S:")) {
                pending.write((text(line) + "\r\n").getBytes(StandardCharsets.UTF_8));
                continue;
            }
            dripMillis = send(pending, dripMillis);
            if (line.startsWith("C:")) {
                expectLine(text(line));
            } else if (line.startsWith("D:")) {
                expectBytes(unescape(text(line)));
            } else if (line.startsWith("!")) {
                dripMillis = directive(line.substring(1).strip(), dripMillis);
            } else {
                throw new IllegalArgumentException("bad script line: " + line);
            }
        }
        send(pending, dripMillis);
    }

    private static String text(String line) {
        String t = line.substring(2);
        return t.startsWith(" ") ? t.substring(1) : t;
    }

    private int directive(String d, int dripMillis) throws IOException, InterruptedException {
        String[] parts = d.split(" ", 2);
        switch (parts[0]) {
            case "tls" -> {
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
                ssl.setUseClientMode(false);
                ssl.startHandshake();
                socket = ssl;
            }
            case "close" -> socket.close();
            case "eof" -> {
                int b = socket.getInputStream().read();
                if (b != -1) {
                    throw new AssertionError("expected the client to close, got byte " + b);
                }
            }
            case "sleep" -> Thread.sleep(Long.parseLong(parts[1]));
            case "drip" -> {
                return Integer.parseInt(parts[1]);
            }
            case "raw" -> write(unescape(parts[1]), dripMillis);
            case "stall" -> {
                try {
                    while (socket.getInputStream().read() != -1) {
                        Thread.sleep(Long.MAX_VALUE);
                    }
                } catch (IOException | InterruptedException expected) {
                    // The client closed or the test ended.
                }
            }
            case "accept" -> {
                socket.close();
                socket = listener.accept();
                socket.setSoTimeout(20_000);
                wroteSinceRead = true;
            }
            case "mark" -> marks.put(parts[1], turns);
            default -> throw new IllegalArgumentException("unknown directive !" + d);
        }
        return dripMillis;
    }

    private int send(ByteArrayOutputStream pending, int dripMillis) throws IOException, InterruptedException {
        if (pending.size() > 0) {
            write(pending.toByteArray(), dripMillis);
            pending.reset();
            return 0;
        }
        return dripMillis;
    }

    private void write(byte[] bytes, int dripMillis) throws IOException, InterruptedException {
        OutputStream out = socket.getOutputStream();
        if (dripMillis > 0) {
            for (byte b : bytes) {
                out.write(b);
                out.flush();
                Thread.sleep(dripMillis);
            }
        } else {
            out.write(bytes);
            out.flush();
        }
        wroteSinceRead = true;
    }

    private void expectLine(String expected) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        int previous = -1;
        while (true) {
            int b = readByte(in, "line " + expected);
            line.write(b);
            if (previous == '\r' && b == '\n') {
                break;
            }
            previous = b;
        }
        String actual = new String(line.toByteArray(), StandardCharsets.UTF_8);
        actual = actual.substring(0, actual.length() - 2);
        received.add(actual);
        if (!actual.equals(expected)) {
            throw new AssertionError("expected C: " + expected + "\n     got C: " + actual);
        }
    }

    private void expectBytes(byte[] expected) throws IOException {
        byte[] actual = new byte[expected.length];
        InputStream in = socket.getInputStream();
        for (int i = 0; i < actual.length; i++) {
            actual[i] = (byte) readByte(in, "data");
        }
        String shown = new String(actual, StandardCharsets.UTF_8);
        received.add(shown);
        if (!java.util.Arrays.equals(actual, expected)) {
            throw new AssertionError("expected D: " + new String(expected, StandardCharsets.UTF_8).replace("\r", "\\r")
                    .replace("\n", "\\n") + "\n     got D: " + shown.replace("\r", "\\r").replace("\n", "\\n"));
        }
    }

    private int readByte(InputStream in, String waitingFor) throws IOException {
        int b;
        try {
            b = in.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("client sent nothing while the server waited for " + waitingFor);
        }
        if (b < 0) {
            throw new AssertionError("client closed while the server waited for " + waitingFor);
        }
        if (wroteSinceRead) {
            turns++;
            wroteSinceRead = false;
        }
        return b;
    }

    /** Decodes {@code \r \n \t \\ \xNN} escapes into UTF-8 bytes, as {@code D:} lines are written. */
    public static byte[] unescapeForTests(String s) {
        return unescape(s);
    }

    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '\\' -> out.write('\\');
                case 'x' -> {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + n);
            }
        }
        return out.toByteArray();
    }

    private void closeQuietly() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // Test teardown.
        }
    }

    @Override
    public void close() {
        closeQuietly();
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread.interrupt();
    }
}
