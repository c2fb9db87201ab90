package dev.jsmtp.streaming;

import dev.jsmtp.BodyType;
import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.TlsMode;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The client half of the streaming test, run in its own small JVM: sends one generated message of the given
 * size to the SMTP port, copies the same octets raw to the raw port, and prints the time of each and the peak
 * heap the memory MXBeans saw. Usage: {@code StreamingClientMain SMTP_PORT RAW_PORT SIZE}.
 */
public final class StreamingClientMain {

    private StreamingClientMain() {
    }

    public static void main(String[] args) throws Exception {
        int smtpPort = Integer.parseInt(args[0]);
        int rawPort = Integer.parseInt(args[1]);
        long size = Long.parseLong(args[2]);
        HeapPools.resetPeaks();
        MessageContent content = MessageContent.of(() -> new GeneratedMessage(size), OptionalLong.of(size),
                BodyType.SEVEN_BIT, false);
        try (SmtpClient client = SmtpClient.builder("127.0.0.1").port(smtpPort).tlsMode(TlsMode.NONE)
                .clientName("client.example").timeout(Duration.ofMinutes(2)).build()) {
            long start = System.nanoTime();
            SendResult result = client.send(Envelope.of("sender@example.org", "sink@example.org"), content);
            long smtpNanos = System.nanoTime() - start;
            System.out.println("SMTP_REPLY " + result.finalReply().code());
            System.out.println("SMTP_NANOS " + smtpNanos);
        }
        long rawStart = System.nanoTime();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), rawPort);
             InputStream in = new GeneratedMessage(size)) {
            OutputStream out = socket.getOutputStream();
            in.transferTo(out);
            out.flush();
            socket.shutdownOutput();
            socket.getInputStream().read(); // the sink closes once it has counted everything
        }
        System.out.println("RAW_NANOS " + (System.nanoTime() - rawStart));
        System.out.println("PEAK_HEAP " + HeapPools.peakUsed());
        System.out.println("MAX_HEAP " + Runtime.getRuntime().maxMemory());
    }
}
