package dev.jsmtp.cli;

import dev.jsmtp.Credentials;
import dev.jsmtp.MailParameters;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpException;
import dev.jsmtp.TranscriptListener;
import dev.jsmtp.message.RawMessage;
import dev.jsmtp.message.Rfc5322Date;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code sendmail} mode: the message on standard input, recipients as arguments or (with {@code -t}) from its
 * headers, Bcc removed, sent through the default account, all or nothing, with the sysexits.h statuses that cron
 * and mail user agents understand. Nothing is printed on success.
 */
public final class SendmailCommand {

    static final String USAGE = "usage: sendmail [-t] [-i] [-f sender] [-F name] [-B type] [-N dsn] [-R ret] "
            + "[-V envid] [-C config] [-a account] [-v] [-o…] [--] [recipient …] < message";

    private final Cli cli;

    public SendmailCommand(Cli cli) {
        this.cli = cli;
    }

    static final String HELP = """
            Sends the message on standard input through the default account of the accounts file, as sendmail
            does for cron, mutt and git send-email. Nothing is printed on success; failures give one line and a
            sysexits.h status. Delivery is all or nothing: if any recipient is refused, nothing is sent.

              -t           recipients from the To, Cc and Bcc fields too (Bcc is removed before sending)
              -i, -oi      a line with a single dot does not end the message
              -f ADDR      the envelope sender (default: the account's from); -F NAME the From name
              -B TYPE      7BIT or 8BITMIME; -N never|success,failure,delay and -R full|hdrs ask for DSNs;
                           -V ENVID the DSN envelope id
              -C FILE      the accounts file; -a NAME the account; -v the conversation on standard error
              -o…          other sendmail options are accepted and ignored

            Bare user names (root) get the account's 'qualify-domain', or its from's domain. A message without
            Date or Message-ID gets them.

            Examples:
              printf 'Subject: hi\\n\\nhello\\n' | jsmtp sendmail you@example.org
              jsmtp sendmail -t -i < message.eml
              ln -s "$PWD/jsmtp" ~/bin/sendmail   # then: git config sendemail.sendmailcmd ~/bin/sendmail

            Exit status: 0 sent; 64 usage; 65 bad input data; 67 a recipient refused; 68 host not found;
            69 service unavailable; 74 reading the message failed; 75 temporary failure, try again later;
            76 protocol error; 77 authentication or TLS refused; 78 configuration error.""";

    /** Runs with {@code args} (without the program name); returns the exit status. */
    public int run(String[] args) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-?"))) {
            cli.out().println(USAGE);
            cli.out().println();
            cli.out().println(HELP);
            return ExitCode.OK;
        }
        Report report = new Report(cli, false, "");
        try {
            SendmailArguments a = SendmailArguments.parse(args);
            return send(a, report);
        } catch (CliException e) {
            if (e.exitCode() == ExitCode.USAGE) {
                cli.err().println(USAGE);
            }
            return report.failed(e);
        } catch (SmtpException e) {
            return report.failed(e);
        } catch (IOException e) {
            return report.failed(new CliException(ExitCode.IO_ERROR, "reading the message: " + e.getMessage()));
        }
    }

    private int send(SendmailArguments a, Report report) throws CliException, IOException {
        AccountsFile file = AccountsFile.load(a.configFile().map(Path::of), cli);
        Account account = file.select(a.account(), false);
        if (account == Account.NONE) {
            throw CliException.config("sendmail mode needs an account: "
                    + (file.accountNames().isEmpty() ? "no accounts file" : file.file() + " has no default account")
                    + " (see jsmtp --help for the accounts file)");
        }
        ConnectionOptions connection = new ConnectionOptions();
        ConnectionOptions.Endpoint endpoint = connection.endpoint(account);
        report = new Report(cli, false, endpoint.toString(), endpoint.tlsMode()).sendmailMode();
        Optional<String> accountFrom = account.get("from");
        Optional<String> domain = account.get("qualify-domain").or(() -> accountFrom.filter(f -> f.indexOf('@') > 0)
                .map(f -> f.substring(f.lastIndexOf('@') + 1)));
        Optional<String> given = a.from().or(() -> accountFrom);
        if (given.isEmpty()) {
            throw CliException.config("no sender: give -f ADDR or set 'from' in account " + account.name()
                    + " of " + account.file());
        }
        SendCommand.checkLine("-f", given.get());
        Optional<String> sender = Optional.of(BareNames.qualify(given.get(), domain, "-f"));
        List<String> recipients = new ArrayList<>();
        for (String r : a.recipients()) {
            SendCommand.checkLine("recipient", r);
            recipients.add(BareNames.qualify(r, domain, "recipient"));
        }
        byte[] message = withMissingFields(readMessage(a.ignoreDots()), sender.get());
        if (a.fullName().isPresent() && !hasHeader(message, "From")) {
            SendCommand.checkLine("-F", a.fullName().get());
            String from = "From: \"" + a.fullName().get().replace("\\", "\\\\").replace("\"", "\\\"") + "\" <"
                    + sender.get() + ">\r\n";
            message = prepend(from.getBytes(StandardCharsets.UTF_8), message);
        }
        // Read once: the fields -t takes recipients from, and the message that is sent.
        RawMessage raw = Messages.read(message);
        if (a.extractRecipients()) {
            recipients.addAll(BareNames.addresses(raw.recipientFields(), domain));
        }
        Prepared prepared = Messages.raw(raw, sender, recipients, false, true, "-f", "recipient");
        MailParameters.Builder p = MailParameters.builder().notify(a.dsnNotify());
        a.dsnReturn().ifPresent(p::dsnReturn);
        a.envelopeId().ifPresent(p::envelopeId);
        MailParameters parameters;
        try {
            parameters = p.build();
        } catch (IllegalArgumentException e) {
            throw CliException.data("-V: " + e.getMessage());
        }
        if (parameters.usesDsn()) {
            prepared = new Prepared(prepared.envelope().withParameters(parameters), prepared.content());
        }
        AuthOptions auth = new AuthOptions();
        Optional<Credentials> credentials = auth.credentials(account, cli);
        auth.checkCleartext(endpoint.tlsMode(), credentials, account);
        TranscriptListener transcript = a.verbose() ? new TranscriptPrinter(cli.err()) : TranscriptListener.NONE;
        SmtpClient.Builder builder = ClientFactory.builder(connection, endpoint, account, cli, credentials, transcript);
        ClientFactory.forceMechanism(builder, auth.mechanism(account));
        if (auth.allowCleartext(account)) {
            builder.allowCleartextAuthenticationDangerously();
        }
        try (SmtpClient client = builder.allOrNothing(true).build()) {
            ClientFactory.sendOne(client, credentials, prepared.envelope(), prepared.content());
            return ExitCode.OK;
        } catch (SmtpException e) {
            return report.failed(e);
        }
    }

    /**
     * The message with a Date and a Message-ID field in front when it has none, as sendmail adds them: RFC 5322
     * §3.6 requires Date, and cron and mail(1) write neither.
     */
    private static byte[] withMissingFields(byte[] message, String sender) {
        StringBuilder fields = new StringBuilder();
        if (!hasHeader(message, "Date")) {
            // In UTC, as send writes it: the local zone costs a command start-up the time-zone database.
            fields.append("Date: ").append(Rfc5322Date.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        }
        if (!hasHeader(message, "Message-ID")) {
            Messages.messageId(sender).ifPresent(id -> fields.append("Message-ID: <").append(id).append(">\r\n"));
        }
        return fields.length() == 0 ? message : prepend(fields.toString().getBytes(StandardCharsets.US_ASCII), message);
    }

    private static byte[] prepend(byte[] prefix, byte[] message) {
        byte[] joined = new byte[prefix.length + message.length];
        System.arraycopy(prefix, 0, joined, 0, prefix.length);
        System.arraycopy(message, 0, joined, prefix.length, message.length);
        return joined;
    }

    /** Standard input up to its end, or (without -i) up to a line holding a single dot, as sendmail reads it. */
    private byte[] readMessage(boolean ignoreDots) throws IOException {
        byte[] all = Secrets.readAll(cli.in());
        if (ignoreDots) {
            return all;
        }
        int lineStart = 0;
        for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
                int end = i > lineStart && all[i - 1] == '\r' ? i - 1 : i;
                if (end - lineStart == 1 && all[lineStart] == '.') {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write(all, 0, lineStart);
                    return out.toByteArray();
                }
                lineStart = i + 1;
            }
        }
        return all;
    }

    /** True when the header section has a field called {@code name}. */
    static boolean hasHeader(byte[] message, String name) {
        int lineStart = 0;
        for (int i = 0; i <= message.length; i++) {
            if (i == message.length || message[i] == '\n') {
                int end = i > lineStart && message[i - 1] == '\r' ? i - 1 : i;
                if (end == lineStart) {
                    return false; // the empty line that ends the header section
                }
                String line = new String(message, lineStart, Math.min(end - lineStart, name.length() + 1),
                        StandardCharsets.ISO_8859_1);
                if (line.equalsIgnoreCase(name + ":")) {
                    return true;
                }
                lineStart = i + 1;
            }
        }
        return false;
    }
}
