package dev.jsmtp.cli;

import dev.jsmtp.Escaping;
import dev.jsmtp.RecipientResult;
import dev.jsmtp.Reply;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpException;
import dev.jsmtp.SmtpRejectedException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a command tells its outcome: on success one line (the server's final reply and the accepted recipients) on
 * standard output; on failure one line per problem on standard error; with {@code --json} one JSON object on
 * standard output either way. Returns the exit status.
 */
final class Report {

    private final Cli cli;
    private final boolean json;
    private final String server;
    private final dev.jsmtp.TlsMode tlsMode;
    private boolean sendmailMode;
    private boolean partialHint = true;

    Report(Cli cli, boolean json, String server) {
        this(cli, json, server, null);
    }

    Report(Cli cli, boolean json, String server, dev.jsmtp.TlsMode tlsMode) {
        this.cli = cli;
        this.json = json;
        this.server = server;
        this.tlsMode = tlsMode;
    }

    int sent(SendResult result) {
        List<String> accepted = new ArrayList<>();
        for (RecipientResult r : result.accepted()) {
            accepted.add(r.forwardPath().toString());
        }
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("sent", true);
            o.put("exitCode", ExitCode.OK);
            o.put("server", server);
            o.put("reply", reply(result.finalReply()));
            o.put("accepted", recipients(result.accepted()));
            o.put("refused", recipients(result.refused()));
            cli.out().println(Json.write(o));
        } else {
            for (RecipientResult r : result.refused()) {
                cli.err().println("jsmtp: refused " + line(r));
            }
            cli.out().println(Escaping.escape(result.finalReply().toString()) + " (accepted: "
                    + String.join(", ", accepted) + ")");
        }
        return ExitCode.OK;
    }

    /** A --quit-after run that reached its stage. */
    int stopped(String stage, Reply last) {
        return stopped(stage, last, List.of());
    }

    /** As {@link #stopped(String, Reply)}, after RCPT with --allow-partial: the refused recipients are listed. */
    int stopped(String stage, Reply last, List<RecipientResult> refused) {
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("sent", false);
            o.put("exitCode", ExitCode.OK);
            o.put("server", server);
            o.put("quitAfter", stage);
            o.put("reply", last == null ? null : reply(last));
            o.put("refused", recipients(refused));
            cli.out().println(Json.write(o));
        } else {
            cli.out().println("quit after " + stage + (last == null ? "" : ": " + Escaping.escape(last.toString())));
            for (RecipientResult r : refused) {
                cli.err().println("jsmtp: refused " + line(r));
            }
        }
        return ExitCode.OK;
    }

    int failed(SmtpException e) {
        int code = ExitCode.of(e);
        List<RecipientResult> refused = e instanceof SmtpRejectedException r ? r.refusedRecipients() : List.of();
        if (json) {
            Map<String, Object> o = failure(code, e.getMessage());
            // As the exit status says: 75 means a later try can help (ambiguous says whether it may duplicate).
            o.put("transient", code == ExitCode.TEMPORARY_FAILURE);
            o.put("ambiguous", e.isAmbiguous());
            if (e instanceof SmtpRejectedException r) {
                o.put("command", r.command());
                o.put("reply", reply(r.reply()));
            }
            o.put("refused", recipients(refused));
            cli.out().println(Json.write(o));
        } else if (!refused.isEmpty()) {
            for (RecipientResult r : refused) {
                cli.err().println("jsmtp: refused " + line(r));
            }
            cli.err().println("jsmtp: nothing was sent" + (partialHint
                    ? " (use --allow-partial to deliver to the accepted recipients)" : ""));
        } else {
            cli.err().println("jsmtp: " + TranscriptPrinter.controlsEscaped(String.valueOf(e.getMessage())));
            hint(e, tlsMode, sendmailMode).ifPresent(h -> cli.err().println("jsmtp: hint: " + h));
        }
        return code;
    }

    /** A likely cause the error message cannot know, such as a plain-text greeting awaited on a TLS port. */
    static java.util.Optional<String> hint(SmtpException e, dev.jsmtp.TlsMode mode) {
        return hint(e, mode, false);
    }

    private static java.util.Optional<String> hint(SmtpException e, dev.jsmtp.TlsMode mode, boolean sendmailMode) {
        if (e instanceof dev.jsmtp.SmtpTimeoutException t && t.waitingFor().contains("greeting")
                && !t.waitingFor().contains("partial reply") && mode != null && mode != dev.jsmtp.TlsMode.IMPLICIT) {
            return java.util.Optional.of("a server that says nothing may expect TLS from the first byte "
                    + "(port 465): try " + (sendmailMode ? "'tls implicit' in the account" : "--tls implicit"));
        }
        return java.util.Optional.empty();
    }

    /** For sendmail mode, whose hints name accounts-file settings rather than options it does not have. */
    Report sendmailMode() {
        sendmailMode = true;
        partialHint = false;
        return this;
    }

    /** After --allow-partial: a refusal of every recipient needs no advice to use it. */
    Report partialAllowed() {
        partialHint = false;
        return this;
    }

    int failed(CliException e) {
        if (json) {
            cli.out().println(Json.write(failure(e.exitCode(), e.getMessage())));
        } else {
            cli.err().println("jsmtp: " + e.getMessage());
        }
        return e.exitCode();
    }

    private Map<String, Object> failure(int code, String message) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("sent", false);
        o.put("exitCode", code);
        o.put("server", server);
        o.put("error", message);
        return o;
    }

    private static String line(RecipientResult r) {
        return "<" + Escaping.escape(r.forwardPath().toString()) + ">: " + Escaping.escape(r.reply().toString());
    }

    private static Map<String, Object> reply(Reply reply) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("code", reply.code());
        o.put("enhancedStatus", reply.status().map(Object::toString).orElse(null));
        o.put("text", reply.text());
        return o;
    }

    private static List<Object> recipients(List<RecipientResult> list) {
        List<Object> out = new ArrayList<>();
        for (RecipientResult r : list) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("recipient", r.forwardPath().toString());
            o.put("reply", reply(r.reply()));
            out.add(o);
        }
        return out;
    }
}
