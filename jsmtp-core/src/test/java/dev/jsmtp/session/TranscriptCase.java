package dev.jsmtp.session;

import dev.jsmtp.Credentials;
import dev.jsmtp.DsnNotify;
import dev.jsmtp.DsnReturn;
import dev.jsmtp.Envelope;
import dev.jsmtp.MailParameters;
import dev.jsmtp.MessageContent;
import dev.jsmtp.Path;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.TlsMode;
import dev.jsmtp.TokenProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A golden transcript with its client settings: {@code @key value} lines configure the client and state the
 * expected outcome; the rest is played by {@code ScriptedServer}.
 *
 * <p>Keys: {@code @tls MODE}, {@code @ehlo NAME|default}, {@code @user U}, {@code @password P}, {@code @token T},
 * {@code @mechanism M}, {@code @allow-cleartext}, {@code @initial-response always}, {@code @all-or-nothing},
 * {@code @pipelining off}, {@code @chunking off}, {@code @from A}, {@code @to A,B}, {@code @content ESCAPED},
 * {@code @content-declared-crlf} (the content's supplier says it is in CRLF lines),
 * {@code @messages N}, {@code @transaction-deadline MS}, {@code @dsn-notify X,Y}, {@code @dsn-ret FULL|HDRS}, {@code @envid ID}, {@code @orcpt A},
 * {@code @stage connect|ehlo|tls|auth}, {@code @expect-error Class [message part]}, {@code @expect-refused A,B},
 * {@code @expect-turns N} (client turns between {@code !mark start} and {@code !mark end}),
 * {@code @expect-final TEXT} (the final reply's text).
 */
record TranscriptCase(String name, String script, Map<String, String> keys) {

    static TranscriptCase load(java.nio.file.Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Map<String, String> keys = new LinkedHashMap<>();
        StringBuilder script = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("@")) {
                String[] kv = line.substring(1).strip().split(" ", 2);
                keys.put(kv[0], kv.length > 1 ? kv[1] : "");
            } else {
                script.append(line).append('\n');
            }
        }
        String name = file.getFileName().toString().replace(".txt", "");
        return new TranscriptCase(name, script.toString(), keys);
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(keys.get(key));
    }

    boolean has(String key) {
        return keys.containsKey(key);
    }

    SmtpClient.Builder client(int port) {
        TlsMode mode = TlsMode.fromCliName(get("tls").orElse("none"));
        SmtpClient.Builder b = SmtpClient.builder("127.0.0.1").port(port).tlsMode(mode)
                .timeout(Duration.ofSeconds(5));
        get("transaction-deadline").ifPresent(ms -> b.timeouts(dev.jsmtp.Timeouts.all(Duration.ofSeconds(5))
                .withTransaction(Duration.ofMillis(Long.parseLong(ms)))));
        String ehlo = get("ehlo").orElse("client.example");
        if (!ehlo.equals("default")) {
            b.clientName(ehlo);
        }
        get("user").ifPresent(user -> {
            if (has("token")) {
                b.credentials(Credentials.oauth2(user, TokenProvider.of(keys.get("token"))));
            } else {
                b.credentials(Credentials.password(user, get("password").orElseThrow()));
            }
        });
        get("mechanism").ifPresent(b::authMechanism);
        if (has("allow-cleartext")) {
            b.allowCleartextAuthenticationDangerously();
        }
        if (get("initial-response").filter("always"::equals).isPresent()) {
            b.alwaysSendInitialResponse(true);
        }
        b.allOrNothing(has("all-or-nothing"));
        b.pipelining(!get("pipelining").filter("off"::equals).isPresent());
        b.chunking(!get("chunking").filter("off"::equals).isPresent());
        return b;
    }

    Envelope envelope() {
        List<Path> to = new ArrayList<>();
        for (String t : get("to").orElse("bob@example.org").split(",")) {
            to.add(Path.of(t.strip()));
        }
        String from = get("from").orElse("alice@example.org");
        MailParameters.Builder p = MailParameters.builder();
        EnumSet<DsnNotify> notify = EnumSet.noneOf(DsnNotify.class);
        get("dsn-notify").ifPresent(n ->
                Arrays.stream(n.split(",")).map(String::strip).map(DsnNotify::valueOf).forEach(notify::add));
        p.notify(notify);
        get("dsn-ret").ifPresent(r -> p.dsnReturn(DsnReturn.valueOf(r)));
        get("envid").ifPresent(p::envelopeId);
        get("orcpt").ifPresent(o -> p.recipient(to.get(0), notify, o));
        return new Envelope(from.equals("<>") ? Optional.empty() : Optional.of(Path.of(from)), to, p.build());
    }

    MessageContent content() {
        String escaped = get("content").orElse("Subject: test\\r\\n\\r\\nHello\\r\\n");
        byte[] octets = dev.jsmtp.testing.ScriptedServer.unescapeForTests(escaped);
        if (has("content-declared-crlf")) {
            // A stream whose supplier says it is in CRLF lines: sent as it is, never scanned.
            return MessageContent.of(() -> new java.io.ByteArrayInputStream(octets),
                    java.util.OptionalLong.of(octets.length), dev.jsmtp.BodyType.SEVEN_BIT, false, true);
        }
        return MessageContent.of(octets);
    }
}
