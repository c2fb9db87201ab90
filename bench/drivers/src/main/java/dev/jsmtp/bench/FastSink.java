package dev.jsmtp.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A discarding SMTP sink on loopback that reads content in 256 KiB gulps, offering PIPELINING and CHUNKING
 * (RFC 2920, RFC 3030). Postfix's smtp-sink parses DATA line by line and tops out near the speed of the clients
 * measured against it; this one is there to show a client's own ceiling for one large message.
 *
 * <p>Arguments: port.
 */
public final class FastSink {

    private static final byte[] EHLO = ("250-fast-sink\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-8BITMIME\r\n"
            + "250 ENHANCEDSTATUSCODES\r\n").getBytes(StandardCharsets.US_ASCII);

    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[1 << 18];
    private int pos;
    private int lim;

    private FastSink(Socket socket) throws IOException {
        // Replies to a pipelined flight are buffered and sent together; no Nagle delay on what is sent.
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = new java.io.BufferedOutputStream(socket.getOutputStream(), 4096);
    }

    public static void main(String[] args) throws IOException {
        try (ServerSocket server = new ServerSocket(Integer.parseInt(args[0]), 64, InetAddress.getLoopbackAddress())) {
            while (true) {
                Socket socket = server.accept();
                Thread t = new Thread(() -> {
                    try (socket) {
                        new FastSink(socket).serve();
                    } catch (IOException e) {
                        // The client went away.
                    }
                });
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private void serve() throws IOException {
        reply("220 fast-sink ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
        String line;
        while ((line = readLine()) != null) {
            String[] words = line.split(" ");
            switch (words[0].toUpperCase(java.util.Locale.ROOT)) {
                case "EHLO" -> reply(EHLO);
                case "BDAT" -> {
                    skip(Long.parseLong(words[1]));
                    reply(ascii("250 2.0.0 Ok\r\n"));
                }
                case "DATA" -> {
                    reply(ascii("354 go ahead\r\n"));
                    out.flush();
                    skipToEndOfData();
                    reply(ascii("250 2.0.0 Ok: queued\r\n"));
                }
                case "QUIT" -> {
                    reply(ascii("221 2.0.0 Bye\r\n"));
                    out.flush();
                    return;
                }
                default -> reply(ascii("250 2.0.0 Ok\r\n"));
            }
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes a reply, flushing only when no pipelined command is waiting, so a flight's replies go together. */
    private void reply(byte[] text) throws IOException {
        out.write(text);
        if (pos == lim) {
            out.flush();
        }
    }

    private boolean fill() throws IOException {
        if (pos == lim) {
            pos = 0;
            lim = 0;
        } else if (lim == buf.length) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            return false;
        }
        lim += n;
        return true;
    }

    private String readLine() throws IOException {
        int scanned = pos;
        while (true) {
            for (int i = scanned; i < lim; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String line = new String(buf, pos, end - pos, StandardCharsets.US_ASCII);
                    pos = i + 1;
                    return line;
                }
            }
            int offset = lim - pos;
            if (!fill()) {
                return null;
            }
            scanned = pos + offset;
        }
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == lim && !fill()) {
                throw new IOException("connection closed inside BDAT");
            }
            int take = (int) Math.min(n, lim - pos);
            pos += take;
            n -= take;
        }
    }

    /** Discards up to and including CRLF.CRLF; the DATA line's own CRLF counts as the first line end. */
    private void skipToEndOfData() throws IOException {
        int state = 2; // 0 in a line, 1 saw CR, 2 at line start, 3 saw '.', 4 saw ".\r"
        while (true) {
            if (pos == lim && !fill()) {
                throw new IOException("connection closed inside DATA");
            }
            byte[] b = buf;
            int i = pos;
            int end = lim;
            for (; i < end; i++) {
                byte c = b[i];
                switch (state) {
                    case 0 -> state = c == '\r' ? 1 : 0;
                    case 1 -> state = c == '\n' ? 2 : c == '\r' ? 1 : 0;
                    case 2 -> state = c == '.' ? 3 : c == '\r' ? 1 : 0;
                    case 3 -> state = c == '\r' ? 4 : 0;
                    default -> {
                        if (c == '\n') {
                            pos = i + 1;
                            return;
                        }
                        state = c == '\r' ? 1 : 0;
                    }
                }
            }
            pos = end;
        }
    }
}
