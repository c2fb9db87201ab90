package dev.jsmtp.message;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A message with a 1 GiB attachment is written in bounded memory, and its size is known before it is written. */
class StreamingTest {

    private static final long GIB = 1L << 30;
    private static final long HEAP_BOUND = 24L << 20;

    @Test
    void oneGibAttachmentIsWrittenWithA48MibHeapAndTheAnnouncedSize() throws Exception {
        String java = System.getProperty("java.home") + "/bin/java";
        Process p = new ProcessBuilder(java, "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                LargeAttachmentMain.class.getName(), Long.toString(GIB))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        Matcher m = Pattern.compile("announced=(\\d+) written=(\\d+) peakHeap=(\\d+) millis=(\\d+)").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        long announced = Long.parseLong(m.group(1));
        long written = Long.parseLong(m.group(2));
        long peakHeap = Long.parseLong(m.group(3));
        System.out.println("1 GiB attachment: " + output);
        assertThat(written).isEqualTo(announced).isGreaterThan(GIB * 4 / 3);
        assertThat(peakHeap).isLessThan(HEAP_BOUND);
    }

    @Test
    void aStreamYieldingOtherThanItsDeclaredSizeFailsTheWrite() {
        MailMessage m = MailMessage.builder().from("a@example.org").to("b@example.org")
                .attach(Attachment.of("short.bin", () -> new LargeAttachmentMain.GeneratedStream(10), null,
                        OptionalLong.of(11)))
                .build();
        assertThatThrownBy(() -> m.writeTo(new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class).hasMessageContaining("short.bin").hasMessageContaining("10 octets")
                .hasMessageContaining("declared as 11");
    }

    @Test
    void unknownAttachmentSizeMeansUnknownMessageSize() throws Exception {
        MailMessage m = MailMessage.builder().from("a@example.org").to("b@example.org")
                .attach(Attachment.of("x.bin", () -> new LargeAttachmentMain.GeneratedStream(5000), null,
                        OptionalLong.empty()))
                .build();
        assertThat(m.content().size()).isEmpty();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        for (DecodedMessage d : MailMessageRoundTripTest.decodeAll(out.toByteArray())) {
            assertThat(d.parts()).singleElement().extracting(DecodedMessage.Part::size).isEqualTo(5000L);
        }
    }
}
