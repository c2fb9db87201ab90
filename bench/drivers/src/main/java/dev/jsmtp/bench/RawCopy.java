package dev.jsmtp.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The ceiling for one large message: EHLO, MAIL, RCPT and DATA by hand, then the generated message's octets copied
 * straight to the socket (they need no dot-stuffing), the final dot, and the time until the server's 250.
 *
 * <p>Arguments: host port size [data|bdat [count]]; with {@code bdat} the octets go as one {@code BDAT size LAST}
 * chunk. With a count, that many messages are sent one after another on the connection, each timed from its MAIL
 * to its 250, so a warm JVM can be compared with {@code jsmtp load --messages count}.
 */
public final class RawCopy {

    public static void main(String[] args) throws IOException {
        GeneratedMessage message = new GeneratedMessage("load@example.org", "rcpt1@example.org",
                Long.parseLong(args[2]));
        try (Socket socket = new Socket(args[0], Integer.parseInt(args[1]))) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            expect(in, "220");
            command(out, "EHLO bench\r\n");
            expect(in, "250");
            boolean bdat = args.length > 3 && args[3].equals("bdat");
            int count = args.length > 4 ? Integer.parseInt(args[4]) : 1;
            long[] latencies = new long[count];
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                send(in, out, message, bdat);
                latencies[i] = System.nanoTime() - t0;
            }
            long elapsed = System.nanoTime() - start;
            command(out, "QUIT\r\n");
            System.out.println(Stats.json(count, 0, message.size(), elapsed, latencies));
        }
    }

    private static void send(InputStream in, OutputStream out, GeneratedMessage message, boolean bdat)
            throws IOException {
        command(out, "MAIL FROM:<load@example.org>\r\n");
        expect(in, "250");
        command(out, "RCPT TO:<rcpt1@example.org>\r\n");
        expect(in, "250");
        if (bdat) {
            command(out, "BDAT " + message.size() + " LAST\r\n");
            message.writeTo(out);
            out.flush();
        } else {
            command(out, "DATA\r\n");
            expect(in, "354");
            message.writeTo(out);
            command(out, ".\r\n");
        }
        expect(in, "250");
    }

    private static void command(OutputStream out, String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one (possibly multi-line) reply and checks its code. */
    private static void expect(InputStream in, String code) throws IOException {
        while (true) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed waiting for " + code);
                }
                line.append((char) c);
            }
            if (!line.toString().startsWith(code)) {
                throw new IOException("expected " + code + ", got " + line);
            }
            if (line.length() < 4 || line.charAt(3) != '-') {
                return;
            }
        }
    }
}
