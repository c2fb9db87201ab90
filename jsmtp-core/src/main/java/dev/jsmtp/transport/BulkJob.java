package dev.jsmtp.transport;

import dev.jsmtp.BulkResult;
import dev.jsmtp.OutgoingMessage;
import dev.jsmtp.SendFuture;
import dev.jsmtp.SendOutcome;
import dev.jsmtp.SendResult;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Feeds many messages to a transport with back-pressure (RFC 5321 §4.5.3.1 limits aside, memory is the bound
 * here): a semaphore of {@code window} permits is taken before a message is read from the iterator and given
 * back when its outcome is known, so at most {@code window} messages are held at any time.
 */
final class BulkJob {

    private BulkJob() {
    }

    static BulkResult run(Function<OutgoingMessage, SendFuture> send, int window,
                          Iterator<? extends OutgoingMessage> messages, Consumer<? super SendOutcome> outcomes)
            throws InterruptedException {
        Semaphore free = new Semaphore(window);
        long[] counts = new long[4];
        List<SendFuture> inFlight = new ArrayList<>();
        Object lock = new Object();
        AtomicReference<RuntimeException> consumerFailure = new AtomicReference<>();
        try {
            while (messages.hasNext()) {
                free.acquire();
                SendFuture future = send.apply(messages.next());
                synchronized (lock) {
                    inFlight.add(future);
                }
                future.whenComplete((result, error) -> {
                    SendOutcome outcome = outcomeOf(future, result, error);
                    try {
                        synchronized (lock) {
                            inFlight.remove(future);
                            counts[index(outcome)]++;
                            outcomes.accept(outcome);
                        }
                    } catch (RuntimeException e) {
                        consumerFailure.compareAndSet(null, e);
                    } finally {
                        free.release();
                    }
                });
            }
            free.acquire(window);
        } catch (InterruptedException e) {
            List<SendFuture> cancel;
            synchronized (lock) {
                cancel = new ArrayList<>(inFlight);
            }
            cancel.forEach(f -> f.cancel(true));
            throw e;
        }
        if (consumerFailure.get() != null) {
            throw consumerFailure.get();
        }
        synchronized (lock) {
            return new BulkResult(counts[0], counts[1], counts[2], counts[3]);
        }
    }

    private static int index(SendOutcome outcome) {
        if (outcome instanceof SendOutcome.Sent) {
            return 0;
        }
        if (outcome instanceof SendOutcome.Failed) {
            return 1;
        }
        return outcome instanceof SendOutcome.Ambiguous ? 2 : 3;
    }

    private static SendOutcome outcomeOf(SendFuture future, SendResult result, Throwable error) {
        if (future.isCancelled()) {
            return new SendOutcome.Cancelled(future.message(), future.cancelledAfterEndOfData());
        }
        if (error == null) {
            return new SendOutcome.Sent(future.message(), result);
        }
        while (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        return SendOutcome.of(future.message(), error instanceof Exception ex ? ex : new RuntimeException(error));
    }
}
