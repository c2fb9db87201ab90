package dev.jsmtp.session;

import dev.jsmtp.RecipientResult;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpConnection;
import dev.jsmtp.SmtpRejectedException;
import dev.jsmtp.testing.ScriptedServer;
import dev.jsmtp.testing.TestCertificates;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Golden transcript tests: each file in {@code src/test/resources/transcripts} is played by a strict scripted
 * server while the real client runs against it with the settings in the file's {@code @} lines.
 */
class SessionTest {

    @TestFactory
    Stream<DynamicTest> transcripts() throws Exception {
        var dir = Paths.get(SessionTest.class.getResource("/transcripts").toURI());
        List<java.nio.file.Path> files;
        try (Stream<java.nio.file.Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(20);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> play(f)));
    }

    private static void play(java.nio.file.Path file) throws Exception {
        TranscriptCase c = TranscriptCase.load(file);
        try (ScriptedServer server = ScriptedServer.start(c.script(),
                TestCertificates.serverContext(TestCertificates.Identity.TRUSTED))) {
            SmtpClient.Builder builder = c.client(server.port());
            if (!c.get("tls").orElse("none").equals("none")) {
                builder.trustedCertificates(TestCertificates.caPem());
            }
            SmtpClient client = builder.build();
            Throwable error = null;
            SendResult last = null;
            try {
                if (c.has("stage")) {
                    SmtpConnection.Stage stage = SmtpConnection.Stage.valueOf(c.keys().get("stage").toUpperCase());
                    client.connect(stage).close();
                } else {
                    int messages = Integer.parseInt(c.get("messages").orElse("1"));
                    try (SmtpConnection connection = client.connect(SmtpConnection.Stage.AUTH)) {
                        for (int i = 0; i < messages; i++) {
                            last = connection.send(c.envelope(), c.content());
                        }
                    }
                }
            } catch (IOException e) {
                error = e;
            }
            server.awaitDone(Duration.ofSeconds(20));
            check(c, error, last, server);
        }
    }

    private static void check(TranscriptCase c, Throwable error, SendResult result, ScriptedServer server) {
        if (c.has("expect-error")) {
            String[] expected = c.keys().get("expect-error").split(" ", 2);
            assertThat(error).as("error").isNotNull();
            assertThat(error.getClass().getSimpleName()).isEqualTo(expected[0]);
            if (expected.length > 1) {
                assertThat(error.getMessage()).contains(expected[1]);
            }
        } else if (error != null) {
            fail("unexpected error", error);
        }
        c.get("expect-refused").ifPresent(list -> {
            List<String> expected = Arrays.stream(list.split(",")).map(String::strip).toList();
            List<RecipientResult> refused = result != null ? result.refused()
                    : ((SmtpRejectedException) error).refusedRecipients();
            assertThat(refused).extracting(r -> r.forwardPath().toString()).containsExactlyElementsOf(expected);
        });
        c.get("expect-final").ifPresent(text -> assertThat(result.finalReply().text()).isEqualTo(text));
        c.get("expect-turns").ifPresent(turns ->
                assertThat(server.turnsBetween("start", "end")).as("client turns per message")
                        .isEqualTo(Integer.parseInt(turns)));
    }
}
