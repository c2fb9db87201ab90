package dev.jsmtp.cli;

import dev.jsmtp.Credentials;
import dev.jsmtp.DsnNotify;
import dev.jsmtp.DsnReturn;
import dev.jsmtp.Envelope;
import dev.jsmtp.MailParameters;
import dev.jsmtp.MessageContent;
import dev.jsmtp.Path;
import dev.jsmtp.RecipientResult;
import dev.jsmtp.Reply;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpConnection;
import dev.jsmtp.SmtpException;
import dev.jsmtp.TranscriptListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code jsmtp send}: composes or reads one message and submits it (RFC 5321, RFC 6409), printing the outcome. */
@Command(name = "send", sortOptions = false, usageHelpAutoWidth = true,
        description = "Send one message, showing the conversation with -v.",
        exitCodeOnInvalidInput = ExitCode.USAGE, footerHeading = "%nExamples:%n", footer = {
            "  jsmtp send --server smtp.example.org --user me@example.org --password-cmd 'pass show mail' \\",
            "      --from me@example.org --to you@example.net --subject Hello --body 'Hi there' -v",
            "  echo 'Body from stdin' | jsmtp send --account work --to you@example.net --subject Report",
            "  jsmtp send --server mx.example.net:25 --tls starttls-opportunistic --from me@example.org \\",
            "      --to you@example.net --quit-after rcpt -v        # test a server, send nothing",
            "  jsmtp send --account work --eml draft.eml              # recipients from its To/Cc/Bcc",
            "",
            "Exit status: 0 sent; 64 usage; 65 bad input data; 67 recipient refused; 68 host not found;",
            "69 service unavailable; 74 a local file or standard input could not be read;",
            "75 temporary failure (retry later); 76 protocol error; 77 authentication or TLS policy failure;",
            "78 configuration error."})
public final class SendCommand implements Callable<Integer> {

    private final Cli cli;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Mixin
    AuthOptions auth = new AuthOptions();

    @Option(names = {"-f", "--from"}, paramLabel = "ADDR", description = "The sender (MAIL FROM and From:).")
    String from;

    @Option(names = {"-t", "--to"}, paramLabel = "ADDR", description = "A recipient; repeatable, commas allowed.")
    List<String> to = new ArrayList<>();

    @Option(names = "--cc", paramLabel = "ADDR", description = "A Cc recipient; repeatable, commas allowed.")
    List<String> cc = new ArrayList<>();

    @Option(names = "--bcc", paramLabel = "ADDR", description = "A Bcc recipient (not shown in the message).")
    List<String> bcc = new ArrayList<>();

    @Option(names = "--subject", paramLabel = "TEXT", description = "The Subject.")
    String subject;

    @Option(names = "--body", paramLabel = "TEXT", description = "The text body.")
    String body;

    @Option(names = "--body-file", paramLabel = "FILE",
            description = "The text body from FILE. Without --body or --body-file the body is read from standard "
                    + "input when it is not a terminal.")
    java.nio.file.Path bodyFile;

    @Option(names = "--html-file", paramLabel = "FILE", description = "An HTML body (alternative to the text).")
    java.nio.file.Path htmlFile;

    @Option(names = "--attach", paramLabel = "FILE", description = "Attach FILE; repeatable.")
    List<java.nio.file.Path> attach = new ArrayList<>();

    @Option(names = "--header", paramLabel = "'Name: value'", description = "Add a header field; repeatable.")
    List<String> header = new ArrayList<>();

    @Option(names = "--eml", paramLabel = "FILE|-",
            description = "Send this RFC 5322 message as it is. Without --to, recipients come from its To/Cc/Bcc "
                    + "and its Bcc is removed.")
    String eml;

    @Option(names = "--dsn-notify", paramLabel = "LIST", description = "DSN NOTIFY: never or success,failure,delay.")
    String dsnNotify;

    @Option(names = "--dsn-ret", paramLabel = "full|hdrs", description = "DSN RET: return the full message or headers.")
    String dsnRet;

    @Option(names = "--dsn-envid", paramLabel = "ID", description = "DSN ENVID: an envelope id for the reports.")
    String dsnEnvid;

    @Option(names = "--quit-after", paramLabel = "STAGE",
            description = "Stop after connect | ehlo | tls | auth | mail | rcpt and QUIT, sending no message.")
    String quitAfter;

    @Option(names = "--allow-partial",
            description = "Deliver to the accepted recipients when some are refused (listed; exit 0). Default: "
                    + "all or nothing - any refusal sends RSET before the data and nothing.")
    boolean allowPartial;

    @Option(names = "--json", description = "Print the result as one JSON object on standard output.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    public SendCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Report report = new Report(cli, json, connection.server == null ? "" : connection.server);
        try {
            return run(report);
        } catch (CliException e) {
            return report.failed(e);
        } catch (SmtpException e) {
            return report.failed(e);
        } catch (IOException e) {
            return report.failed(new CliException(ExitCode.IO_ERROR, String.valueOf(e.getMessage())));
        }
    }

    private int run(Report report) throws CliException, IOException {
        Account account = connection.account(cli);
        ConnectionOptions.Endpoint endpoint = connection.endpoint(account);
        report = new Report(cli, json, endpoint.toString(), endpoint.tlsMode());
        Optional<Stage> stop = quitAfter == null ? Optional.empty() : Optional.of(Stage.parse(quitAfter));
        boolean needsMessage = stop.isEmpty() || stop.get().ordinal() >= Stage.MAIL.ordinal();
        Optional<Credentials> credentials = auth.credentials(account, cli);
        auth.checkCleartext(endpoint.tlsMode(), credentials, account);
        Prepared prepared = needsMessage ? prepare(account) : null;
        TranscriptListener transcript = connection.transcript ? new TranscriptPrinter(cli.err()) : TranscriptListener.NONE;
        SmtpClient.Builder builder = ClientFactory.builder(connection, endpoint, account, cli, credentials, transcript);
        ClientFactory.forceMechanism(builder, auth.mechanism(account));
        if (auth.allowCleartext(account)) {
            builder.allowCleartextAuthenticationDangerously();
        }
        builder.allOrNothing(!allowPartial);
        if (allowPartial) {
            report.partialAllowed();
        }
        if (connection.transcript) {
            report.transcriptShown();
        }
        if (prepared != null) {
            report.recipients(prepared.envelope().forwardPaths().size());
        }
        try (SmtpClient client = builder.build()) {
            if (stop.isPresent()) {
                return quitAfter(client, stop.get(), prepared, report, credentials);
            }
            return report.sent(ClientFactory.sendOne(client, credentials, prepared.envelope(),
                    ProgressContent.wrap(prepared.content(), cli)));
        } catch (SmtpException e) {
            return report.failed(e);
        }
    }

    private int quitAfter(SmtpClient client, Stage stop, Prepared prepared, Report report,
                          Optional<Credentials> credentials) throws IOException {
        try (SmtpConnection c = client.connect(stop.connectionStage)) {
            if (stop == Stage.EHLO || stop == Stage.TLS || stop == Stage.AUTH) {
                return report.stopped(stop.name().toLowerCase(Locale.ROOT), c,
                        credentials.map(Credentials::username));
            }
            Reply last = stop == Stage.CONNECT ? c.greeting() : null;
            if (stop.ordinal() >= Stage.MAIL.ordinal()) {
                last = c.mail(prepared.envelope(), prepared.content());
                if (!last.isPositive()) {
                    throw new dev.jsmtp.SmtpRejectedException("MAIL FROM", last, client.config().host());
                }
                if (stop == Stage.RCPT) {
                    // Every recipient is tried, as swaks does: testing a server means learning about each.
                    List<RecipientResult> refused = new ArrayList<>();
                    int accepted = 0;
                    for (Path p : prepared.envelope().forwardPaths()) {
                        Reply reply = c.rcpt(p, prepared.envelope());
                        if (reply.isPositive()) {
                            accepted++;
                            last = reply;
                        } else {
                            refused.add(new RecipientResult(p, reply));
                        }
                    }
                    if (!refused.isEmpty() && (!allowPartial || accepted == 0)) {
                        throw new dev.jsmtp.SmtpRejectedException("RCPT TO", refused.get(refused.size() - 1).reply(),
                                client.config().host(), refused);
                    }
                    return report.stopped("rcpt", last, refused);
                }
            }
            return report.stopped(stop.name().toLowerCase(Locale.ROOT), last);
        }
    }

    /** The stages --quit-after can stop after, as swaks names them. */
    enum Stage {
        CONNECT(SmtpConnection.Stage.CONNECT), EHLO(SmtpConnection.Stage.EHLO), TLS(SmtpConnection.Stage.TLS),
        AUTH(SmtpConnection.Stage.AUTH), MAIL(SmtpConnection.Stage.AUTH), RCPT(SmtpConnection.Stage.AUTH);

        final SmtpConnection.Stage connectionStage;

        Stage(SmtpConnection.Stage stage) {
            this.connectionStage = stage;
        }

        static Stage parse(String text) throws CliException {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--quit-after takes connect, ehlo, tls, auth, mail or rcpt, not " + text);
            }
        }
    }

    private Prepared prepare(Account account) throws CliException, IOException {
        List<String> toList = split("--to", to);
        List<String> ccList = split("--cc", cc);
        List<String> bccList = split("--bcc", bcc);
        Optional<String> sender = Optional.ofNullable(from).or(() -> account.get("from"));
        if (sender.isPresent()) {
            checkLine("--from", sender.get());
        }
        Prepared prepared;
        if (eml != null) {
            if (body != null || bodyFile != null || htmlFile != null || !attach.isEmpty() || subject != null
                    || !header.isEmpty()) {
                throw CliException.usage("--eml sends a message as it is: it cannot be combined with --subject, "
                        + "--body, --body-file, --html-file, --attach or --header");
            }
            List<String> recipients = new ArrayList<>(toList);
            recipients.addAll(ccList);
            recipients.addAll(bccList);
            boolean fromHeaders = recipients.isEmpty();
            if (eml.equals("-")) {
                prepared = Messages.raw(Secrets.readAll(cli.in()), sender, recipients, fromHeaders, fromHeaders);
            } else {
                java.nio.file.Path file = java.nio.file.Path.of(eml);
                if (!Files.isReadable(file)) {
                    throw new CliException(ExitCode.IO_ERROR, "--eml: cannot read " + file);
                }
                prepared = Messages.raw(file, sender, recipients, fromHeaders, fromHeaders);
            }
        } else {
            if (sender.isEmpty()) {
                throw CliException.usage("no sender: give --from ADDR (or 'from' in the account)");
            }
            if (toList.isEmpty() && ccList.isEmpty() && bccList.isEmpty()) {
                throw CliException.usage("no recipients: give --to ADDR (or --cc, --bcc)");
            }
            if (subject != null) {
                checkLine("--subject", subject);
            }
            if (body != null && bodyFile != null) {
                throw CliException.usage("--body and --body-file exclude each other");
            }
            Optional<String> text = Optional.ofNullable(body);
            if (bodyFile != null && bodyFile.toString().equals("-")) {
                text = Optional.of(new String(Secrets.readAll(cli.in()), StandardCharsets.UTF_8));
            } else if (bodyFile != null) {
                text = Optional.of(new String(read(bodyFile, "--body-file"), StandardCharsets.UTF_8));
            } else if (body == null && !cli.stdinIsTerminal()) {
                text = Optional.of(new String(Secrets.readAll(cli.in()), StandardCharsets.UTF_8));
            }
            Optional<String> html = htmlFile == null ? Optional.empty()
                    : Optional.of(new String(read(htmlFile, "--html-file"), StandardCharsets.UTF_8));
            prepared = Messages.compose(new Draft(sender.get(), toList, ccList, bccList, Optional.ofNullable(subject),
                    text, html, attach, headers()));
        }
        MailParameters parameters = parameters();
        return parameters.usesDsn()
                ? new Prepared(prepared.envelope().withParameters(parameters), prepared.content()) : prepared;
    }

    private List<Map.Entry<String, String>> headers() throws CliException {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String h : header) {
            checkLine("--header", h);
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw CliException.usage("--header takes 'Name: value', not '" + h + "'");
            }
            out.add(new AbstractMap.SimpleImmutableEntry<>(h.substring(0, colon).strip(), h.substring(colon + 1).strip()));
        }
        return out;
    }

    MailParameters parameters() throws CliException {
        MailParameters.Builder p = MailParameters.builder();
        if (dsnNotify != null) {
            Set<DsnNotify> notify = SendmailArguments.parseNotify(dsnNotify);
            p.notify(notify);
        }
        if (dsnRet != null) {
            DsnReturn ret = SendmailArguments.parseReturn(dsnRet);
            p.dsnReturn(ret);
        }
        if (dsnEnvid != null) {
            p.envelopeId(dsnEnvid);
        }
        try {
            return p.build();
        } catch (IllegalArgumentException e) {
            throw CliException.data("--dsn-envid: " + e.getMessage());
        }
    }

    private static List<String> split(String option, List<String> values) throws CliException {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            checkLine(option, v);
            out.addAll(AddressList.split(v));
        }
        return out;
    }

    /** Refuses CR, LF and NUL, which could inject commands or header fields (exit 65). */
    static void checkLine(String option, String value) throws CliException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw CliException.data(option + ": contains a CR, LF or NUL character: " + value);
            }
        }
    }

    private static byte[] read(java.nio.file.Path file, String option) throws CliException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CliException(ExitCode.IO_ERROR, option + ": cannot read " + file + ": "
                    + Secrets.reason(file, e));
        }
    }
}
