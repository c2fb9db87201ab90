package dev.jsmtp.session;

import dev.jsmtp.BodyType;
import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;
import dev.jsmtp.RetryPolicy;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.TlsMode;
import dev.jsmtp.transport.FakeSmtpServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Content in CRLF lines whose size is known goes over BDAT (RFC 3030) with every chunk but the last announced ahead
 * of its octets; the delivered octets must not change, and content that ends short of its size is never delivered.
 */
class KnownSizeBdatTest {

    private static SmtpClient client(FakeSmtpServer server) {
        return SmtpClient.builder("127.0.0.1").port(server.port()).tlsMode(TlsMode.NONE)
                .clientName("client.example").timeout(Duration.ofSeconds(10)).retryPolicy(RetryPolicy.NONE).build();
    }

    /** CRLF lines of 78 octets, {@code size} in all. */
    private static byte[] lines(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            int column = i % 78;
            b[i] = (byte) (column == 76 ? '\r' : column == 77 ? '\n' : 'a' + (i / 78 + column) % 26);
        }
        b[size - 2] = '\r';
        b[size - 1] = '\n';
        return b;
    }

    private static MessageContent declared(byte[] octets, long size) {
        return MessageContent.of(() -> new ByteArrayInputStream(octets), OptionalLong.of(size), BodyType.SEVEN_BIT,
                false, true);
    }

    @Test
    void aLargeMessageOfKnownSizeArrivesOctetForOctetInAnnouncedChunks() throws Exception {
        byte[] octets = lines(3 * 1024 * 1024 + 500_000);
        try (FakeSmtpServer server = FakeSmtpServer.modern(); SmtpClient client = client(server)) {
            client.send(Envelope.of("a@example.org", "b@example.org"), declared(octets, octets.length));
            // The speculative 64 KiB chunk, three of 1 MiB, and the rest as the last.
            assertThat(server.commands().stream().filter(c -> c.startsWith("BDAT"))).containsExactly(
                    "BDAT 65536", "BDAT 1048576", "BDAT 1048576", "BDAT 1048576",
                    "BDAT " + (octets.length - 65536 - 3 * 1048576) + " LAST");
            assertThat(server.deliveries()).hasSize(1);
            assertThat(Arrays.equals(server.deliveries().get(0).data(), octets)).isTrue();
        }
    }

    @Test
    void contentShorterThanItsSizeIsNotDeliveredAndItsConnectionIsClosed() throws Exception {
        byte[] octets = lines(2 * 1024 * 1024);
        // Ends inside an announced chunk, and exactly on a chunk boundary.
        for (int length : new int[] {65536 + 500_000, 65536 + 1048576}) {
            byte[] sent = Arrays.copyOf(octets, length);
            long size = octets.length;
            try (FakeSmtpServer server = FakeSmtpServer.modern(); SmtpClient client = client(server)) {
                assertThatThrownBy(() -> client.send(Envelope.of("a@example.org", "b@example.org"),
                        declared(sent, size)))
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("octets before its declared size")
                        .hasMessageContaining("the connection was closed so no partial message is delivered");
                assertThat(server.deliveries()).as("%d of %d octets", length, size).isEmpty();
                assertThat(server.commands()).noneMatch(c -> c.endsWith("LAST"));
                // The next message takes a new connection and gets through.
                client.send(Envelope.of("a@example.org", "b@example.org"), MessageContent.of(lines(780)));
                assertThat(server.deliveries()).hasSize(1);
                assertThat(server.connections()).isEqualTo(2);
            }
        }
    }
}
