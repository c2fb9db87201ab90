package dev.jsmtp;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The pending result of one asynchronous mail transaction (RFC 5321 §3.3). Cancelling it closes the connection
 * the message travels on, since a blocked socket read or write does not notice a thread interrupt; when the end
 * of data may already have reached the server, {@link #cancelledAfterEndOfData()} says so and the message may
 * have been accepted.
 */
public final class SendFuture extends CompletableFuture<SendResult> {

    /** Stops the send at the transport level; returns true when the end of data may have been written. */
    @FunctionalInterface
    public interface Canceller {
        boolean cancelSend();
    }

    private final OutgoingMessage message;
    private final Canceller canceller;
    private volatile boolean afterEndOfData;

    /** For transports: a future for {@code message} that calls {@code canceller} when cancelled. */
    public SendFuture(OutgoingMessage message, Canceller canceller) {
        this.message = Objects.requireNonNull(message);
        this.canceller = Objects.requireNonNull(canceller);
    }

    public OutgoingMessage message() {
        return message;
    }

    /** Cancels the send and closes its connection; {@code mayInterruptIfRunning} makes no difference. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (isDone()) {
            return false;
        }
        // The flag is set before the future completes so that whoever sees it cancelled sees the flag too.
        boolean ended = canceller.cancelSend();
        afterEndOfData = ended;
        return super.cancel(mayInterruptIfRunning);
    }

    /** True when the send was cancelled after its end of data may have been written. */
    public boolean cancelledAfterEndOfData() {
        return isCancelled() && afterEndOfData;
    }

    /**
     * How the send ended, as a value; waits for it. Interrupting the wait cancels the send.
     */
    public SendOutcome outcome() throws InterruptedException {
        try {
            return new SendOutcome.Sent(message, get());
        } catch (CancellationException e) {
            return new SendOutcome.Cancelled(message, afterEndOfData);
        } catch (ExecutionException e) {
            return SendOutcome.of(message, unwrap(e.getCause()));
        } catch (InterruptedException e) {
            cancel(true);
            throw e;
        }
    }

    private static Exception unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof Exception e ? e : new RuntimeException(t);
    }
}
