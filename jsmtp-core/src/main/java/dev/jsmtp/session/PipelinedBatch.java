package dev.jsmtp.session;

import dev.jsmtp.BodyType;
import dev.jsmtp.Envelope;
import dev.jsmtp.Extension;
import dev.jsmtp.MessageContent;
import dev.jsmtp.Path;
import dev.jsmtp.RecipientResult;
import dev.jsmtp.Reply;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpConnection;
import dev.jsmtp.SmtpConnectionException;
import dev.jsmtp.SmtpException;
import dev.jsmtp.SmtpRejectedException;
import dev.jsmtp.wire.BdatChunker;
import dev.jsmtp.wire.CrlfOutputStream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Several whole mail transactions in one flight (RFC 2920 with RFC 3030): {@code MAIL, RCPT…, BDAT n LAST}
 * + content for each message, every transaction after the first opened by {@code RSET} (RFC 3030 §2 asks for
 * one after a failed BDAT, and it costs bytes, not a round trip), then every reply read in order. Each message
 * gets its own result. Postfix accepts this (BDAT_README).
 *
 * <p>Deadlock (RFC 2920 §3.1): the client writes a whole flight before reading, so the server's replies to it
 * must fit in the socket buffers; a flight is cut when its replies could exceed {@value #MAX_UNREAD_REPLIES}.
 * When the connection drops, every transaction whose {@code BDAT LAST} was written and whose reply did not come
 * is ambiguous. A 503 or 5yz to a MAIL after the first in a flight means the server does not take pipelined
 * transactions: the message is returned for sending alone and {@link Result#fallBack()} is set. A server with
 * PIPELINING but without CHUNKING (or with CHUNKING turned off) gets one turn per transaction instead, each
 * message's content opening the next one's group ({@link PipelinedDataFlight}).
 */
public final class PipelinedBatch {

    /** Replies left unread in one flight at most: about 16 KiB of replies, far below any socket buffer. */
    static final int MAX_UNREAD_REPLIES = 256;

    /**
     * One message of the batch; {@code endOfData} runs just before its end of data is buffered for writing, so
     * that a canceller knows whether this message, not only the flight, may have reached the server.
     */
    public record Item(Envelope envelope, MessageContent content, Runnable endOfData) {
        public Item(Envelope envelope, MessageContent content) {
            this(envelope, content, () -> { });
        }
    }

    /** What became of one message: a result, a failure, or neither (send it alone). */
    public record Outcome(SendResult result, SmtpException failure) {
        /** True when the message was not taken and should be sent on its own, after the fall-back. */
        public boolean sendAlone() {
            return result == null && failure == null;
        }
    }

    /** The outcomes in item order, and whether the server refused a pipelined MAIL. */
    public record Result(List<Outcome> outcomes, boolean fallBack) {
    }

    private PipelinedBatch() {
    }

    /**
     * True when {@code session} may carry several transactions in one flight: with CHUNKING all of them in one
     * turn, with DATA one turn each ({@link PipelinedDataFlight}).
     */
    public static boolean supported(Session session) {
        SessionConfig config = session.config();
        return session.isUsable() && session.stage() == SmtpConnection.Stage.AUTH && config.pipelining()
                && !config.allOrNothing() && session.extensions().supports(Extension.PIPELINING);
    }

    /** True when {@code content} is small enough to travel in a shared flight (one BDAT chunk). */
    public static boolean fits(MessageContent content) {
        return content.size().isPresent() && content.size().getAsLong() <= MailTransaction.SPECULATIVE_LIMIT
                && content.bodyType() != BodyType.BINARY_MIME;
    }

    /** Sends {@code items} (each {@link #fits}) on {@code session} (which is {@link #supported}). */
    public static Result run(Session session, List<Item> items) {
        List<Outcome> outcomes = new ArrayList<>(items.size());
        if (!(session.config().chunking() && session.extensions().supports(Extension.CHUNKING))) {
            boolean fallBack = new PipelinedDataFlight(session, items).send(outcomes);
            return new Result(outcomes, fallBack);
        }
        boolean fallBack = false;
        int from = 0;
        while (from < items.size()) {
            int to = from;
            int replies = 0;
            do {
                replies += 3 + items.get(to).envelope().forwardPaths().size();
                to++;
            } while (to < items.size() && replies + 3 + items.get(to).envelope().forwardPaths().size()
                    <= MAX_UNREAD_REPLIES);
            fallBack |= new Flight(session, items.subList(from, to), outcomes).send();
            from = to;
            if (fallBack) {
                break;
            }
            if (!session.isUsable() && from < items.size()) {
                // The connection is gone: the later flights were never written (writing them would only buffer
                // bytes for a closed socket and call them ambiguous). Not sent, so they may be tried again.
                SmtpException cause = outcomes.get(outcomes.size() - 1).failure();
                while (outcomes.size() < items.size()) {
                    outcomes.add(new Outcome(null, new SmtpConnectionException("connection lost before a "
                            + "pipelined transaction was sent", session.config().server(), cause, false)));
                }
                break;
            }
        }
        while (outcomes.size() < items.size()) {
            outcomes.add(new Outcome(null, null));
        }
        return new Result(outcomes, fallBack);
    }

    /** One flight: write everything, flush once, read every reply. */
    private static final class Flight {
        private final Session session;
        private final SessionIo io;
        private final SessionConfig config;
        private final List<Item> items;
        private final List<Outcome> outcomes;
        private final List<String> mailLines = new ArrayList<>();
        private final List<Integer> chunks = new ArrayList<>();
        private final List<SmtpException> refusedBeforeSending = new ArrayList<>();

        Flight(Session session, List<Item> items, List<Outcome> outcomes) {
            this.session = session;
            this.io = session.io();
            this.config = session.config();
            this.items = items;
            this.outcomes = outcomes;
        }

        /** Returns true when the server refused a pipelined MAIL (fall back to one transaction at a time). */
        boolean send() {
            io.newTransaction();
            int written = 0;
            try {
                for (Item item : items) {
                    MessageContent content = item.content().adaptTo(session.extensions());
                    MailTransaction tx;
                    try {
                        tx = new MailTransaction(session, item.envelope(), content);
                    } catch (SmtpException e) {
                        refusedBeforeSending.add(e);
                        mailLines.add(null);
                        chunks.add(0);
                        continue;
                    }
                    refusedBeforeSending.add(null);
                    if (written > 0) {
                        io.command("RSET");
                    }
                    io.command(tx.mailCommand());
                    boolean smtpUtf8 = item.envelope().requiresSmtpUtf8() || content.requiresSmtpUtf8();
                    for (Path p : item.envelope().forwardPaths()) {
                        io.command(MailTransaction.rcptCommand(p, item.envelope(), smtpUtf8, session.extensions()));
                    }
                    int[] count = {0};
                    BdatChunker chunker = new BdatChunker(io.writer(), MailTransaction.SPECULATIVE_LIMIT,
                            (size, last) -> count[0]++);
                    CrlfOutputStream body = new CrlfOutputStream(chunker);
                    if (session.transcript().enabled()) {
                        session.transcript().content("(message content, " + content.size().getAsLong() + " octets)");
                    }
                    session.writePipelinedContent(content, body);
                    body.finish();
                    io.endOfDataStarting();
                    item.endOfData().run();
                    chunker.finish();
                    mailLines.add(tx.mailCommand());
                    chunks.add(count[0]);
                    written++;
                }
                if (written > 0) {
                    io.flush("pipelined transactions", true);
                }
            } catch (IOException e) {
                SmtpException failure = e instanceof SmtpException s ? s
                        : io.failure(e instanceof SocketSide.Failure f ? f.socketCause() : e,
                        "pipelined transactions", config.timeouts().write(), true);
                session.fail();
                // Transactions fully buffered may have reached the server: ambiguous. The rest never left.
                for (int i = 0; i < items.size(); i++) {
                    if (i < refusedBeforeSending.size() && refusedBeforeSending.get(i) != null) {
                        outcomes.add(new Outcome(null, refusedBeforeSending.get(i)));
                    } else if (i < mailLines.size()) {
                        outcomes.add(new Outcome(null, lost(failure, true)));
                    } else {
                        outcomes.add(new Outcome(null, lost(failure, false)));
                    }
                }
                return false;
            }
            return readReplies();
        }

        private boolean readReplies() {
            boolean fallBack = false;
            boolean rsetPending = false;
            boolean lastFailed = false;
            int position = 0;
            SmtpException lostAt = null;
            for (int i = 0; i < items.size(); i++) {
                if (refusedBeforeSending.get(i) != null) {
                    outcomes.add(new Outcome(null, refusedBeforeSending.get(i)));
                    continue;
                }
                if (lostAt != null) {
                    outcomes.add(new Outcome(null, lostAt));
                    continue;
                }
                try {
                    Outcome outcome = readTransaction(items.get(i), mailLines.get(i), chunks.get(i), position > 0);
                    if (outcome.sendAlone()) {
                        fallBack = true;
                    }
                    lastFailed = outcome.result() == null;
                    outcomes.add(outcome);
                } catch (SmtpException e) {
                    outcomes.add(new Outcome(null, e));
                    lostAt = session.isUsable() ? null : lost(e, !closedBy421(e));
                    lastFailed = true;
                }
                position++;
            }
            if (lastFailed && session.isUsable()) {
                rsetPending = true;
            }
            if (rsetPending) {
                try {
                    Reply rset = session.rset();
                    if (!rset.isPositive()) {
                        session.fail();
                    }
                } catch (IOException e) {
                    session.fail();
                }
            }
            return fallBack;
        }

        private static boolean closedBy421(SmtpException e) {
            return e instanceof SmtpRejectedException r && r.reply().code() == 421;
        }

        private Outcome readTransaction(Item item, String mailLine, int chunkCount, boolean afterFirst)
                throws SmtpException {
            if (afterFirst) {
                Reply rset = read("reply to RSET");
                if (rset.code() == 421) {
                    session.fail();
                    throw new SmtpRejectedException("RSET", rset, config.server());
                }
            }
            Reply mail = closeOn421(mailLine, read("reply to MAIL FROM"));
            List<RecipientResult> results = new ArrayList<>();
            for (Path p : item.envelope().forwardPaths()) {
                results.add(new RecipientResult(p, closeOn421("RCPT TO:<" + p + ">", read("reply to RCPT TO"))));
            }
            Reply last = null;
            for (int c = 0; c < chunkCount; c++) {
                last = closeOn421("BDAT LAST", read("reply to BDAT LAST"));
            }
            if (!mail.isPositive()) {
                if (afterFirst && (mail.code() == 503 || mail.isPermanentNegative())) {
                    return new Outcome(null, null);
                }
                throw new SmtpRejectedException(mailLine, mail, config.server());
            }
            List<RecipientResult> refused = results.stream().filter(r -> !r.accepted()).toList();
            if (refused.size() == results.size()) {
                RecipientResult first = refused.get(0);
                throw new SmtpRejectedException("RCPT TO:<" + first.forwardPath() + ">", first.reply(),
                        config.server(), refused);
            }
            if (last == null || !last.isPositive()) {
                throw new SmtpRejectedException("BDAT LAST", last, config.server());
            }
            return new Outcome(new SendResult(last, results), null);
        }

        /** A 421 closes the session (RFC 5321 §3.8); it is a reply, so the transaction is not ambiguous. */
        private Reply closeOn421(String command, Reply reply) throws SmtpRejectedException {
            if (reply.code() == 421) {
                session.fail();
                throw new SmtpRejectedException(command, reply, config.server());
            }
            return reply;
        }

        private Reply read(String waitingFor) throws SmtpException {
            return io.read(waitingFor, waitingFor.contains("BDAT") ? config.timeouts().finalReply()
                    : config.timeouts().mail(), true);
        }

        private SmtpException lost(SmtpException cause, boolean endOfDataSent) {
            String what = endOfDataSent ? "connection lost before the reply to a pipelined transaction"
                    : "connection lost before a pipelined transaction was sent";
            return new SmtpConnectionException(what, config.server(), cause, endOfDataSent);
        }
    }
}
