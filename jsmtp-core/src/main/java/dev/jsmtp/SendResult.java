package dev.jsmtp;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one mail transaction (RFC 5321 §3.3): the server's final reply to the end of data, which usually
 * carries a queue id, and each recipient's own reply. Partial success is a value: check {@link #refused()}.
 */
public record SendResult(Reply finalReply, List<RecipientResult> recipients) {

    public SendResult {
        Objects.requireNonNull(finalReply);
        recipients = List.copyOf(recipients);
    }

    public List<RecipientResult> accepted() {
        return recipients.stream().filter(RecipientResult::accepted).toList();
    }

    public List<RecipientResult> refused() {
        return recipients.stream().filter(r -> !r.accepted()).toList();
    }

    /** True when every recipient was accepted. */
    public boolean allAccepted() {
        return recipients.stream().allMatch(RecipientResult::accepted);
    }
}
