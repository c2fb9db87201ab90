package dev.jsmtp.bench;

import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Angus Mail (Jakarta Mail) peer: sends the message {@code jsmtp load} sends, over one reused
 * {@link Transport} per connection, and prints the same JSON fields.
 *
 * <p>Arguments: host port messages connections recipients size [from] [to-domain].
 */
public final class AngusDriver {

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int messages = Integer.parseInt(args[2]);
        int connections = Integer.parseInt(args[3]);
        int recipients = Integer.parseInt(args[4]);
        long size = Long.parseLong(args[5]);
        String from = args.length > 6 ? args[6] : "load@example.org";
        String domain = args.length > 7 ? args[7] : "example.org";

        Properties props = new Properties();
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.port", String.valueOf(port));
        props.put("mail.smtp.from", from);
        props.put("mail.smtp.connectiontimeout", "60000");
        props.put("mail.smtp.timeout", "60000");
        Session session = Session.getInstance(props);
        Address[] to = new Address[recipients];
        for (int i = 0; i < recipients; i++) {
            to[i] = new InternetAddress("rcpt" + (i + 1) + "@" + domain);
        }
        GeneratedMessage generated = new GeneratedMessage(from, "rcpt1@" + domain, size);
        // Parsed once and sent unchanged: Angus writes a parsed, unmodified message's own octets.
        MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(generated.toByteArray()));

        long[] latency = new long[messages];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < Math.min(connections, messages); c++) {
            Thread t = new Thread(() -> {
                try (Transport transport = session.getTransport("smtp")) {
                    transport.connect();
                    int i;
                    while ((i = next.getAndIncrement()) < messages) {
                        long t0 = System.nanoTime();
                        try {
                            transport.sendMessage(message, to);
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            System.err.println("angus: " + e);
                        }
                        latency[i] = System.nanoTime() - t0;
                    }
                } catch (Exception e) {
                    System.err.println("angus: " + e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long elapsed = System.nanoTime() - start;
        int sent = Math.min(next.get(), messages);
        failed.addAndGet(messages - sent);
        System.out.println(Stats.json(messages, failed.get(), generated.size(), elapsed, latency));
        System.exit(failed.get() == 0 ? 0 : 1);
    }
}
