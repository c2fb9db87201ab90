package dev.jsmtp;

/** Counts of how the messages of one bulk job ended (see {@link SendOutcome}). */
public record BulkResult(long sent, long failed, long ambiguous, long cancelled) {

    public BulkResult {
        if (sent < 0 || failed < 0 || ambiguous < 0 || cancelled < 0) {
            throw new IllegalArgumentException("negative count");
        }
    }

    /** Every message, whatever its outcome. */
    public long total() {
        return sent + failed + ambiguous + cancelled;
    }
}
