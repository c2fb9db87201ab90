package dev.jsmtp.cli;

import dev.jsmtp.Escaping;
import dev.jsmtp.Extensions;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpConnection;
import dev.jsmtp.SmtpException;
import dev.jsmtp.SmtpSecurityException;
import dev.jsmtp.TlsInfo;
import dev.jsmtp.TlsMode;
import dev.jsmtp.TranscriptListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code jsmtp probe}: what a server offers (RFC 5321 §4.1.1.1, RFC 3207, RFC 8314) — greeting, EHLO extensions
 * before and after STARTTLS, TLS protocol and cipher, the certificate chain and whether it verified, AUTH
 * mechanisms. It never sends MAIL.
 */
@Command(name = "probe", sortOptions = false, usageHelpAutoWidth = true,
        description = "Show what a server offers: greeting, extensions, TLS, certificates, AUTH. Sends no mail.",
        exitCodeOnInvalidInput = ExitCode.USAGE, footerHeading = "%nExamples:%n", footer = {
            "  jsmtp probe --server smtp.example.org                 # implicit TLS on 465",
            "  jsmtp probe --server mx.example.net:25 --tls starttls-opportunistic -v",
            "  jsmtp probe --server 192.0.2.7:587 --tls-servername smtp.example.org",
            "",
            "Exit status: 0 reached and verified; 77 the certificate did not verify or STARTTLS is missing;",
            "68 host not found; 69 service unavailable (a 5xx greeting); 75 connection refused or timed out;",
            "76 protocol error; 64 usage; 78 configuration."})
public final class ProbeCommand implements Callable<Integer> {

    private final Cli cli;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    public ProbeCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        try {
            return run();
        } catch (CliException e) {
            cli.err().println("jsmtp: " + e.getMessage());
            return e.exitCode();
        } catch (SmtpException e) {
            cli.err().println("jsmtp: " + Report.describe(e));
            return ExitCode.of(e);
        } catch (IOException e) {
            cli.err().println("jsmtp: " + TranscriptPrinter.controlsEscaped(String.valueOf(e.getMessage())));
            return ExitCode.TEMPORARY_FAILURE;
        }
    }

    private int run() throws CliException, IOException {
        Account account = connection.account(cli);
        ConnectionOptions.Endpoint endpoint = connection.endpoint(account);
        try {
            return probe(account, endpoint);
        } catch (SmtpException e) {
            cli.err().println("jsmtp: " + Report.describe(e));
            Report.hint(e, endpoint.tlsMode()).ifPresent(h -> cli.err().println("jsmtp: hint: " + h));
            return ExitCode.of(e);
        }
    }

    private int probe(Account account, ConnectionOptions.Endpoint endpoint) throws CliException, IOException {
        TranscriptListener transcript = connection.transcript ? new TranscriptPrinter(cli.err()) : TranscriptListener.NONE;
        PrintStream out = cli.out();
        out.println("Server:        " + endpoint + " (" + endpoint.tlsMode().cliName() + ")");
        Optional<String> verifyFailure = Optional.empty();
        SmtpConnection c;
        try {
            c = ClientFactory.builder(connection, endpoint, account, cli, Optional.empty(), transcript).build()
                    .connect(SmtpConnection.Stage.TLS);
        } catch (SmtpSecurityException e) {
            if (endpoint.tlsMode() == TlsMode.NONE || connection.insecureSkipVerify) {
                throw e;
            }
            verifyFailure = Optional.of(e.getMessage());
            // Connect again without verification, only to show what the server presents.
            SmtpClient.Builder b = ClientFactory.builder(connection, endpoint, account, cli, Optional.empty(),
                    transcript, false);
            try {
                c = b.build().connect(SmtpConnection.Stage.TLS);
            } catch (SmtpSecurityException again) {
                c = b.build().connect(SmtpConnection.Stage.EHLO);
            }
        }
        try (SmtpConnection connected = c) {
            out.println("Greeting:      " + Escaping.escape(connected.greeting().toString()));
            connected.extensionsBeforeTls().ifPresent(e -> extensions(out, "EHLO before TLS", e));
            Optional<TlsInfo> tls = connected.tls();
            if (tls.isPresent()) {
                out.println("TLS:           " + tls.get().protocol() + ", " + tls.get().cipherSuite());
                chain(out, tls.get().peerCertificates());
            } else {
                out.println("TLS:           none");
            }
            if (verifyFailure.isPresent()) {
                // The core's message, escaped already.
                out.println("Verified:      NO - " + TranscriptPrinter.controlsEscaped(verifyFailure.get()));
            } else if (tls.isPresent()) {
                out.println("Verified:      yes" + (tls.get().verifiedName() == null || tls.get().verifiedName().isEmpty()
                        ? " (not checked: --insecure-skip-verify)" : ", as " + tls.get().verifiedName()));
            }
            extensions(out, tls.isPresent() && connected.extensionsBeforeTls().isPresent() ? "EHLO after TLS"
                    : "EHLO", connected.extensions());
            out.println("AUTH:          " + (connected.extensions().authMechanisms().isEmpty() ? "(none offered)"
                    : String.join(" ", connected.extensions().authMechanisms())));
        }
        return verifyFailure.isPresent() ? ExitCode.NO_PERMISSION : ExitCode.OK;
    }

    private static void extensions(PrintStream out, String title, Extensions extensions) {
        out.println(title + ":");
        for (Map.Entry<String, List<String>> e : extensions.keywords().entrySet()) {
            out.println("  " + Escaping.escape(e.getKey() + (e.getValue().isEmpty() ? "" : " " + String.join(" ", e.getValue()))));
        }
    }

    private static void chain(PrintStream out, List<java.security.cert.X509Certificate> chain) {
        out.println("Certificates:");
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate cert = chain.get(i);
            out.println("  " + i + " subject: " + Escaping.escape(cert.getSubjectX500Principal().getName()));
            out.println("    issuer:  " + Escaping.escape(cert.getIssuerX500Principal().getName()));
            out.println("    valid:   " + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant());
            List<String> names = subjectAlternativeNames(cert);
            if (!names.isEmpty()) {
                out.println("    names:   " + Escaping.escape(String.join(", ", names)));
            }
        }
    }

    private static List<String> subjectAlternativeNames(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    names.add(String.valueOf(san.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            names.add("(unreadable)");
        }
        return names;
    }
}
