package dev.jsmtp;

import java.util.ArrayList;
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
        return select(true);
    }

    public List<RecipientResult> refused() {
        return select(false);
    }

    /** True when every recipient was accepted. */
    public boolean allAccepted() {
        for (RecipientResult r : recipients) {
            if (!r.accepted()) {
                return false;
            }
        }
        return true;
    }

    private List<RecipientResult> select(boolean accepted) {
        List<RecipientResult> selected = new ArrayList<>(recipients.size());
        for (RecipientResult r : recipients) {
            if (r.accepted() == accepted) {
                selected.add(r);
            }
        }
        return List.copyOf(selected);
    }
}
