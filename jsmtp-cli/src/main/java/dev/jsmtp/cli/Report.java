package dev.jsmtp.cli;

import dev.jsmtp.Escaping;
import dev.jsmtp.RecipientResult;
import dev.jsmtp.Reply;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpException;
import dev.jsmtp.SmtpConnection;
import dev.jsmtp.SmtpRejectedException;
import dev.jsmtp.TlsInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    private boolean transcriptShown;
    private int recipientCount;

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

    /**
     * A --quit-after run that stopped after EHLO, STARTTLS or AUTH: one line of what that stage established (the
     * extensions, the TLS session, the identity authenticated as), unless the transcript on standard error shows
     * it already.
     */
    int stopped(String stage, SmtpConnection c, Optional<String> authenticatedAs) {
        List<String> extensions = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : c.extensions().keywords().entrySet()) {
            String parameters = e.getValue().isEmpty() ? "" : " " + String.join(" ", e.getValue());
            extensions.add(Escaping.escape(e.getKey() + parameters));
        }
        Optional<TlsInfo> tls = c.tls();
        if (json) {
            Map<String, Object> o = stoppedJson(stage);
            o.put("extensions", new ArrayList<Object>(extensions));
            o.put("tls", tls.map(t -> (Object) Map.<String, Object>of("protocol", t.protocol(),
                    "cipherSuite", t.cipherSuite())).orElse(null));
            if (stage.equals("auth")) {
                o.put("authenticatedAs", authenticatedAs.orElse(null));
            }
            cli.out().println(Json.write(o));
            return ExitCode.OK;
        }
        if (transcriptShown) {
            cli.out().println("quit after " + stage);
            return ExitCode.OK;
        }
        String offers = extensions.isEmpty() ? "the server offers no extensions"
                : "the server offers " + String.join(", ", extensions);
        String encryption = tls.map(t -> "TLS " + t.protocol() + " " + t.cipherSuite()).orElse("no TLS");
        String summary = switch (stage) {
            case "ehlo" -> offers;
            case "tls" -> encryption + "; " + offers;
            default -> authenticatedAs.map(u -> "authenticated as " + Escaping.escape(u))
                    .orElse("no AUTH (no user given)") + "; " + encryption;
        };
        cli.out().println("quit after " + stage + ": " + summary);
        return ExitCode.OK;
    }

    /** The JSON fields every --quit-after run prints: nothing was sent, on purpose. */
    private Map<String, Object> stoppedJson(String stage) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("sent", false);
        o.put("exitCode", ExitCode.OK);
        o.put("server", server);
        o.put("quitAfter", stage);
        return o;
    }

    /** As {@link #stopped(String, Reply)}, after RCPT with --allow-partial: the refused recipients are listed. */
    int stopped(String stage, Reply last, List<RecipientResult> refused) {
        if (json) {
            Map<String, Object> o = stoppedJson(stage);
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
            Map<String, Object> o = failure(code, describe(e));
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
            // The advice makes sense only when some recipient was accepted (unknown count: assume so).
            boolean someAccepted = recipientCount == 0 || refused.size() < recipientCount;
            cli.err().println("jsmtp: nothing was sent" + (partialHint && someAccepted
                    ? " (use --allow-partial to deliver to the accepted recipients)" : ""));
        } else {
            cli.err().println("jsmtp: " + describe(e));
            hint(e, tlsMode, sendmailMode).ifPresent(h -> cli.err().println("jsmtp: hint: " + h));
        }
        return code;
    }

    /**
     * The one line for a failure of the conversation, escaped once: the core's message (which quotes server text
     * escaped already), except for a refusing greeting, which the core names as a refused "(connect)" command.
     */
    static String describe(SmtpException e) {
        if (e instanceof SmtpRejectedException r && r.command().equals(GREETING) && r.refusedRecipients().isEmpty()) {
            return "the server refused the session in its greeting: " + Escaping.escape(r.reply().toString())
                    + (e.server().isEmpty() ? "" : " (" + Escaping.escape(e.server()) + ")");
        }
        return TranscriptPrinter.controlsEscaped(String.valueOf(e.getMessage()));
    }

    /** The command the core's {@link SmtpRejectedException} names for a 4yz or 5yz greeting (RFC 5321 §3.1). */
    private static final String GREETING = "(connect)";

    /** A likely cause the error message cannot know, such as a plain-text greeting awaited on a TLS port. */
    static java.util.Optional<String> hint(SmtpException e, dev.jsmtp.TlsMode mode) {
        return hint(e, mode, false);
    }

    private static java.util.Optional<String> hint(SmtpException e, dev.jsmtp.TlsMode mode, boolean sendmailMode) {
        if (e instanceof SmtpRejectedException r && r.command().equals(GREETING)) {
            if (r.reply().code() == 421) {
                return java.util.Optional.of("421 means the server is busy or shutting down; try again later");
            }
            if (r.reply().code() == 554) {
                return java.util.Optional.of("554 at the greeting means the server takes no mail from this client "
                        + "(often its address or a block list): nothing will be accepted on this connection");
            }
        }
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

    /** With -v: the transcript on standard error shows every reply, so --quit-after's summary is not repeated. */
    Report transcriptShown() {
        transcriptShown = true;
        return this;
    }

    /** How many recipients the envelope has, so that advice to use --allow-partial comes only when it can help. */
    Report recipients(int count) {
        recipientCount = count;
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
