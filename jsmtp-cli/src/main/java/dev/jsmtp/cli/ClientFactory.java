package dev.jsmtp.cli;

import dev.jsmtp.Credentials;
import dev.jsmtp.Envelope;
import dev.jsmtp.MessageContent;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpConnection;
import dev.jsmtp.TranscriptListener;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Builds an {@link SmtpClient} from the command line's options and the account's settings. */
final class ClientFactory {

    /** A day: longer waits are mistakes, and the socket API counts milliseconds in an int. */
    static final long MAX_TIMEOUT_SECONDS = 86_400;

    private ClientFactory() {
    }

    static SmtpClient.Builder builder(ConnectionOptions o, ConnectionOptions.Endpoint endpoint, Account a, Cli cli,
                                      Optional<Credentials> credentials, TranscriptListener transcript)
            throws CliException {
        return builder(o, endpoint, a, cli, credentials, transcript, true);
    }

    /** As above; without {@code verify} the server's certificate is not checked (and no warning printed). */
    static SmtpClient.Builder builder(ConnectionOptions o, ConnectionOptions.Endpoint endpoint, Account a, Cli cli,
                                      Optional<Credentials> credentials, TranscriptListener transcript,
                                      boolean verify) throws CliException {
        SmtpClient.Builder b = SmtpClient.builder(endpoint.host()).port(endpoint.port()).tlsMode(endpoint.tlsMode());
        Optional<Path> cafile = Optional.ofNullable(o.cafile).or(() -> a.get("cafile").map(Path::of));
        Optional<Path> cert = Optional.ofNullable(o.tlsCert).or(() -> a.get("tls-cert").map(Path::of));
        Optional<Path> key = Optional.ofNullable(o.tlsKey).or(() -> a.get("tls-key").map(Path::of));
        boolean insecure = o.insecureSkipVerify || a.isOn("insecure-skip-verify");
        if (insecure && cafile.isPresent()) {
            throw CliException.usage("--insecure-skip-verify and --cafile contradict each other");
        }
        if (cert.isPresent() != key.isPresent()) {
            throw CliException.usage("--tls-cert and --tls-key go together");
        }
        if (verify) {
            trust(b, cli, cafile, cert, key, insecure);
        } else {
            // probe's second look at a server whose certificate did not verify: only to show what it presents.
            b.trustAllCertificatesDangerously();
        }
        Optional.ofNullable(o.tlsServerName).or(() -> a.get("tls-servername")).ifPresent(b::tlsServerName);
        Optional<String> ehlo = Optional.ofNullable(o.ehlo).or(() -> a.get("ehlo"));
        if (ehlo.isPresent()) {
            if (ehlo.get().chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
                throw CliException.data("--ehlo: the name contains a space or control character");
            }
            b.clientName(ehlo.get());
        }
        long seconds;
        try {
            seconds = o.timeout != null ? o.timeout
                    : a.get("timeout").map(Long::parseLong).orElse((long) ConnectionOptions.DEFAULT_TIMEOUT_SECONDS);
        } catch (NumberFormatException e) {
            throw CliException.config("timeout in the accounts file must be a whole number of seconds");
        }
        if (seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
            throw CliException.usage("--timeout must be 1 to " + MAX_TIMEOUT_SECONDS + " seconds, not " + seconds);
        }
        b.timeout(Duration.ofSeconds(seconds));
        credentials.ifPresent(b::credentials);
        b.transcript(transcript);
        return b;
    }

    private static void trust(SmtpClient.Builder b, Cli cli, Optional<Path> cafile, Optional<Path> cert,
                              Optional<Path> key, boolean insecure) throws CliException {
        if (cafile.isPresent()) {
            try {
                b.trustedCertificates(cafile.get());
            } catch (IOException e) {
                throw CliException.config("cannot read --cafile " + cafile.get() + ": "
                        + Secrets.reason(cafile.get(), e));
            } catch (IllegalArgumentException e) {
                throw CliException.config("--cafile " + cafile.get() + ": " + e.getMessage());
            }
        }
        if (cert.isPresent()) {
            try {
                b.clientCertificate(cert.get(), key.get());
            } catch (IOException e) {
                throw CliException.config("cannot read --tls-cert " + cert.get() + " or --tls-key " + key.get() + ": "
                        + Secrets.reason(cert.get(), e));
            } catch (IllegalArgumentException e) {
                throw CliException.config("--tls-cert/--tls-key: " + e.getMessage());
            }
        }
        if (insecure) {
            cli.warn("--insecure-skip-verify: the server's certificate is not checked; anyone on the path can "
                    + "read and change this session, credentials included");
            b.trustAllCertificatesDangerously();
        }
    }

    /**
     * Sends the one message of a command that exits afterwards: on a session of its own, on this thread, without
     * the pool's sender threads and idle reaper, which would cost start-up time and buy nothing here. OAuth2 goes
     * through the pool, whose transport asks the token provider for a fresh token when the server refuses one.
     */
    /** Forces {@code --auth MECH} (or the account's {@code auth}), refusing an unknown name before connecting. */
    static void forceMechanism(SmtpClient.Builder b, Optional<String> mechanism) throws CliException {
        if (mechanism.isPresent()) {
            try {
                b.authMechanism(mechanism.get());
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--auth: " + e.getMessage());
            }
        }
    }

    static SendResult sendOne(SmtpClient client, Optional<Credentials> credentials, Envelope envelope,
                              MessageContent content) throws IOException {
        if (credentials.isPresent() && credentials.get() instanceof Credentials.OAuth2) {
            return client.send(envelope, content);
        }
        try (SmtpConnection c = client.connect(SmtpConnection.Stage.AUTH)) {
            return c.send(envelope, content);
        }
    }
}
