package dev.jsmtp.session;

import dev.jsmtp.MessageContent;
import dev.jsmtp.Path;
import dev.jsmtp.RecipientResult;
import dev.jsmtp.Reply;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpConnectionException;
import dev.jsmtp.SmtpException;
import dev.jsmtp.SmtpRejectedException;
import dev.jsmtp.wire.DotStuffingOutputStream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive transactions through DATA, one client turn each (RFC 2920 §3.1: "The actual transfer of message
 * content is explicitly allowed to be the first 'command' in a group"): each group is the previous message's
 * content and final dot, then {@code RSET, MAIL, RCPT…, DATA} of the next, and the replies are read in that order.
 * DATA stays last in its group, and a message's content is sent only after its own 354.
 *
 * <p>Each reply belongs to exactly one transaction, so a refused end of data touches only its own message. A
 * DATA the server refuses sends no content; a 354 after a refused MAIL or refused recipients gets an empty
 * message (the dot alone), which delivers nothing. When the connection drops, only a message whose final dot was
 * written and whose reply did not come is ambiguous. A 503 or 5yz to a MAIL after the first means the server does
 * not take transactions pipelined after content: that message and the rest are returned to be sent alone.
 */
final class PipelinedDataFlight {

    private static final byte[] EMPTY_MESSAGE = {'.', '\r', '\n'};

    private final Session session;
    private final SessionIo io;
    private final SessionConfig config;
    private final List<PipelinedBatch.Item> items;
    private final PipelinedBatch.Outcome[] outcomes;
    private final boolean[] dotWritten;
    private final MessageContent[] contents;
    private int reading = -1; // the message whose reply is being read
    private final List<List<RecipientResult>> recipients = new ArrayList<>();
    private boolean fallBack;

    PipelinedDataFlight(Session session, List<PipelinedBatch.Item> items) {
        this.session = session;
        this.io = session.io();
        this.config = session.config();
        this.items = items;
        this.outcomes = new PipelinedBatch.Outcome[items.size()];
        this.dotWritten = new boolean[items.size()];
        this.contents = new MessageContent[items.size()];
        for (int i = 0; i < items.size(); i++) {
            recipients.add(List.of());
        }
    }

    /** Sends every item; appends one outcome per item to {@code into}; returns true after a fall-back. */
    boolean send(List<PipelinedBatch.Outcome> into) {
        int pending = -1; // the message whose content opens the next group, after its 354
        boolean pendingEmpty = false; // its content is the dot alone (nothing can be delivered)
        int next = 0;
        int opened = 0;
        int last = -1; // the transaction opened last
        // Once for the flight, as for a BDAT flight: after the first final dot, cancelling may be ambiguous.
        io.newTransaction();
        try {
            while (pending >= 0 || (next < items.size() && !fallBack)) {
                MailTransaction tx = null;
                int k = -1;
                while (tx == null && next < items.size() && !fallBack) {
                    PipelinedBatch.Item item = items.get(next);
                    try {
                        contents[next] = item.content().adaptTo(session.extensions());
                        tx = new MailTransaction(session, item.envelope(), contents[next]);
                        k = next;
                    } catch (SmtpException e) {
                        outcomes[next] = new PipelinedBatch.Outcome(null, e);
                    }
                    next++;
                }
                if (pending >= 0) {
                    writeContent(pending, pendingEmpty);
                }
                if (tx != null) {
                    if (opened > 0) {
                        io.command("RSET");
                    }
                    io.command(tx.mailCommand());
                    PipelinedBatch.Item item = items.get(k);
                    boolean smtpUtf8 = item.envelope().requiresSmtpUtf8() || contents[k].requiresSmtpUtf8();
                    for (Path p : item.envelope().forwardPaths()) {
                        io.command(MailTransaction.rcptCommand(p, item.envelope(), smtpUtf8, session.extensions()));
                    }
                    io.command("DATA");
                }
                io.flush(tx != null ? "MAIL FROM" : "end of data", pending >= 0);
                if (pending >= 0) {
                    readFinalReply(pending, pendingEmpty);
                    pending = -1;
                }
                if (tx != null) {
                    boolean afterFirst = opened > 0;
                    opened++;
                    last = k;
                    Reply data = readTransaction(k, tx.mailCommand(), afterFirst);
                    if (data.code() == 354) {
                        pending = k;
                        // Nothing may be delivered when the transaction already failed or goes alone after all.
                        pendingEmpty = outcomes[k] != null || fallBack;
                    }
                }
            }
        } catch (IOException e) {
            lose(e);
        }
        if (last >= 0 && session.isUsable() && (outcomes[last] == null || outcomes[last].result() == null)) {
            // The last transaction ended before its data: leave no transaction open for the next caller.
            try {
                if (!session.rset().isPositive()) {
                    session.fail();
                }
            } catch (IOException e) {
                session.fail();
            }
        }
        for (PipelinedBatch.Outcome outcome : outcomes) {
            into.add(outcome != null ? outcome : new PipelinedBatch.Outcome(null, null));
        }
        return fallBack;
    }

    /** The content and final dot of message {@code i} (the dot alone when {@code empty}). */
    private void writeContent(int i, boolean empty) throws IOException {
        if (empty) {
            io.data().write(EMPTY_MESSAGE);
        } else {
            io.endOfDataStarting();
            items.get(i).endOfData().run();
            MessageContent content = contents[i];
            if (session.transcript().enabled()) {
                session.transcript().content("(message content, " + content.size().getAsLong() + " octets)");
            }
            DotStuffingOutputStream body = new DotStuffingOutputStream(io.data());
            session.writePipelinedContent(content, body);
            body.finish();
            dotWritten[i] = true;
        }
    }

    private void readFinalReply(int i, boolean empty) throws SmtpException {
        reading = empty ? -1 : i;
        Reply reply = closeOn421("DATA (end of data)", read("reply to end of data", config.timeouts().finalReply(),
                true));
        if (empty) {
            return; // the transaction was already refused; the empty message delivered nothing
        }
        outcomes[i] = reply.isPositive() ? new PipelinedBatch.Outcome(new SendResult(reply, recipients.get(i)), null)
                : new PipelinedBatch.Outcome(null, new SmtpRejectedException("DATA (end of data)", reply,
                config.server()));
    }

    /** Reads RSET (after the first), MAIL, RCPT… and DATA of transaction {@code k}; returns the DATA reply. */
    private Reply readTransaction(int k, String mailLine, boolean afterFirst) throws SmtpException {
        reading = k;
        if (afterFirst) {
            closeOn421("RSET", read("reply to RSET", config.timeouts().mail(), false));
        }
        Reply mail = closeOn421(mailLine, read("reply to MAIL FROM", config.timeouts().mail(), false));
        List<RecipientResult> results = new ArrayList<>();
        List<Path> paths = items.get(k).envelope().forwardPaths();
        for (Path p : paths) {
            results.add(new RecipientResult(p, closeOn421("RCPT TO:<" + p + ">",
                    read("reply to RCPT TO", config.timeouts().rcpt(), false))));
        }
        Reply data = closeOn421("DATA", read("reply to DATA", config.timeouts().data(), false));
        recipients.set(k, results);
        if (!mail.isPositive()) {
            if (afterFirst && (mail.code() == 503 || mail.isPermanentNegative())) {
                // Not taken after pipelined content: this and the rest go alone (their outcomes stay empty).
                fallBack = true;
                outcomes[k] = null;
                return data;
            }
            outcomes[k] = new PipelinedBatch.Outcome(null, new SmtpRejectedException(mailLine, mail,
                    config.server()));
            return data;
        }
        List<RecipientResult> refused = new ArrayList<>();
        for (RecipientResult r : results) {
            if (!r.accepted()) {
                refused.add(r);
            }
        }
        if (refused.size() == results.size()) {
            RecipientResult first = refused.get(0);
            outcomes[k] = new PipelinedBatch.Outcome(null, new SmtpRejectedException("RCPT TO:<"
                    + first.forwardPath() + ">", first.reply(), config.server(), refused));
        } else if (data.code() != 354) {
            outcomes[k] = new PipelinedBatch.Outcome(null, new SmtpRejectedException("DATA", data, config.server()));
        }
        return data;
    }

    /** After a lost connection: a message whose dot was written is ambiguous, every other one was not sent. */
    private void lose(IOException e) {
        SmtpException cause = e instanceof SmtpException s ? s
                : io.failure(e instanceof SocketSide.Failure f ? f.socketCause() : e, "pipelined transactions",
                config.timeouts().write(), true);
        boolean replied = cause instanceof SmtpRejectedException r && r.reply().code() == 421;
        session.fail();
        if (replied && reading >= 0 && outcomes[reading] == null) {
            outcomes[reading] = new PipelinedBatch.Outcome(null, cause); // the 421 answered this message
        }
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] != null) {
                continue;
            }
            boolean ambiguous = dotWritten[i] && !replied;
            if (!fallBack) {
                outcomes[i] = new PipelinedBatch.Outcome(null, new SmtpConnectionException(ambiguous
                        ? "connection lost before the reply to a pipelined transaction"
                        : "connection lost before a pipelined transaction was completed", config.server(), cause,
                        ambiguous));
            }
        }
    }

    /** A 421 closes the session (RFC 5321 §3.8); it is a reply, so what it answers is not ambiguous. */
    private Reply closeOn421(String command, Reply reply) throws SmtpRejectedException {
        if (reply.code() == 421) {
            session.fail();
            throw new SmtpRejectedException(command, reply, config.server());
        }
        return reply;
    }

    private Reply read(String waitingFor, Duration timeout, boolean endOfDataSent) throws SmtpException {
        return io.read(waitingFor, timeout, endOfDataSent);
    }
}
