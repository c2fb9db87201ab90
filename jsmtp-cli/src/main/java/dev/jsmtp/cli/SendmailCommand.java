package dev.jsmtp.cli;

import dev.jsmtp.Credentials;
import dev.jsmtp.MailParameters;
import dev.jsmtp.SmtpClient;
import dev.jsmtp.SmtpException;
import dev.jsmtp.TranscriptListener;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

    /** Runs with {@code args} (without the program name); returns the exit status. */
    public int run(String[] args) {
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
        Account account = file.select(a.account());
        if (account == Account.NONE) {
            throw CliException.config("sendmail mode needs an account: "
                    + (file.accountNames().isEmpty() ? "no accounts file" : file.file() + " has no default account")
                    + " (see jsmtp --help for the accounts file)");
        }
        ConnectionOptions connection = new ConnectionOptions();
        ConnectionOptions.Endpoint endpoint = connection.endpoint(account);
        report = new Report(cli, false, endpoint.toString(), endpoint.tlsMode());
        Optional<String> sender = a.from().or(() -> account.get("from"));
        if (sender.isEmpty()) {
            throw CliException.config("no sender: give -f ADDR or set 'from' in account " + account.name()
                    + " of " + account.file());
        }
        SendCommand.checkLine("-f", sender.get());
        for (String r : a.recipients()) {
            SendCommand.checkLine("recipient", r);
        }
        byte[] message = readMessage(a.ignoreDots());
        if (a.fullName().isPresent() && !hasHeader(message, "From")) {
            SendCommand.checkLine("-F", a.fullName().get());
            String from = "From: \"" + a.fullName().get().replace("\\", "\\\\").replace("\"", "\\\"") + "\" <"
                    + sender.get() + ">\r\n";
            byte[] prefix = from.getBytes(StandardCharsets.UTF_8);
            byte[] joined = new byte[prefix.length + message.length];
            System.arraycopy(prefix, 0, joined, 0, prefix.length);
            System.arraycopy(message, 0, joined, prefix.length, message.length);
            message = joined;
        }
        Prepared prepared = Messages.raw(message, sender, a.recipients(), a.extractRecipients(), true);
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
        auth.mechanism(account).ifPresent(builder::authMechanism);
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
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\n\n");
        int endCrlf = text.indexOf("\r\n\r\n");
        int limit = end < 0 ? (endCrlf < 0 ? text.length() : endCrlf) : endCrlf < 0 ? end : Math.min(end, endCrlf);
        for (String line : text.substring(0, limit).split("\r?\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return true;
            }
        }
        return false;
    }
}
