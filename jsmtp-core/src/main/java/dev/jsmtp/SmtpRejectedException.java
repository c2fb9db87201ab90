package dev.jsmtp;

import java.util.List;
import java.util.Objects;

/**
 * The server refused a command with a 4yz or 5yz reply (RFC 5321 §4.2.1); {@link #command()} is what was sent and
 * {@link #reply()} what came back. When recipients were refused, {@link #refusedRecipients()} lists each one.
 */
public final class SmtpRejectedException extends SmtpException {

    private final String command;
    private final Reply reply;
    private final List<RecipientResult> refusedRecipients;

    public SmtpRejectedException(String command, Reply reply, String server) {
        this(command, reply, server, List.of());
    }

    public SmtpRejectedException(String command, Reply reply, String server, List<RecipientResult> refused) {
        super(describe(command, reply, refused), server, null);
        this.command = Objects.requireNonNull(command);
        this.reply = Objects.requireNonNull(reply);
        this.refusedRecipients = List.copyOf(refused);
    }

    private static String describe(String command, Reply reply, List<RecipientResult> refused) {
        if (refused.size() > 1) {
            StringBuilder sb = new StringBuilder(refused.size() + " recipients refused: ");
            for (int i = 0; i < refused.size(); i++) {
                RecipientResult r = refused.get(i);
                sb.append(i == 0 ? "" : "; ").append('<').append(r.forwardPath()).append("> ")
                        .append(Escaping.escape(r.reply().toString()));
            }
            return sb.toString();
        }
        return Escaping.escape(command) + " rejected: " + Escaping.escape(reply.toString());
    }

    /** The command line that was refused (AUTH payloads masked). */
    public String command() {
        return command;
    }

    public Reply reply() {
        return reply;
    }

    /** Every refused recipient with its own reply; empty when the refusal was not about recipients. */
    public List<RecipientResult> refusedRecipients() {
        return refusedRecipients;
    }

    @Override
    public boolean isTransient() {
        if (!refusedRecipients.isEmpty()) {
            return refusedRecipients.stream().allMatch(r -> r.reply().isTransientNegative());
        }
        return reply.isTransientNegative();
    }
}
