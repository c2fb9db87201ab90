package dev.jsmtp.session;

import dev.jsmtp.BodyType;
import dev.jsmtp.DsnNotify;
import dev.jsmtp.Envelope;
import dev.jsmtp.Extension;
import dev.jsmtp.Extensions;
import dev.jsmtp.MailParameters;
import dev.jsmtp.MessageContent;
import dev.jsmtp.Path;
import dev.jsmtp.RecipientResult;
import dev.jsmtp.Reply;
import dev.jsmtp.SendResult;
import dev.jsmtp.SmtpCapabilityException;
import dev.jsmtp.SmtpException;
import dev.jsmtp.SmtpRejectedException;
import dev.jsmtp.SmtpTimeoutException;
import dev.jsmtp.wire.BdatChunker;
import dev.jsmtp.wire.CrlfOutputStream;
import dev.jsmtp.wire.DotStuffingOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * One mail transaction (RFC 5321 §3.3) planned for the fewest client turns the server allows. With PIPELINING
 * (RFC 2920) MAIL, every RCPT and DATA share one flight; with CHUNKING too (RFC 3030), MAIL, the RCPTs,
 * {@code BDAT n LAST} and a body of up to {@value #SPECULATIVE_LIMIT} octets share one flight — one round trip per
 * message. Larger bodies send their first chunk speculatively and the rest once a recipient was accepted.
 * Without PIPELINING every command waits for its reply.
 */
final class MailTransaction {

    /** Bodies up to this size travel in the same flight as MAIL and RCPT. */
    static final int SPECULATIVE_LIMIT = 64 * 1024;
    /** Chunk size once recipients are known to be accepted. */
    static final int CHUNK_SIZE = 1024 * 1024;
    /** Pipelined BDAT replies left unread before the client stops to read them (RFC 2920 §3.1 deadlock). */
    private static final int MAX_UNREAD_CHUNK_REPLIES = 16;

    private final Session session;
    private final SessionConfig config;
    private final SessionIo io;
    private final Extensions extensions;
    private final Envelope envelope;
    private final MessageContent content;
    private final boolean smtpUtf8;
    private final String mailLine;
    private final List<String> rcptLines = new ArrayList<>();
    private final List<RecipientResult> results = new ArrayList<>();
    private boolean endOfDataSent;
    /** System.nanoTime() by which the whole transaction must end, when the caller set a transaction deadline. */
    private final long deadlineNanos;

    MailTransaction(Session session, Envelope envelope, MessageContent content) throws SmtpCapabilityException {
        this.session = session;
        this.config = session.config();
        this.io = session.io();
        this.extensions = session.extensions();
        this.envelope = envelope;
        this.content = content;
        this.smtpUtf8 = envelope.requiresSmtpUtf8() || content.requiresSmtpUtf8();
        Optional<Duration> transaction = config.timeouts().transaction();
        this.deadlineNanos = transaction.isPresent() ? System.nanoTime() + transaction.get().toNanos() : 0L;
        preflight();
        this.mailLine = buildMailCommand();
        for (Path forwardPath : envelope.forwardPaths()) {
            rcptLines.add(rcptCommand(forwardPath, envelope, smtpUtf8, extensions));
        }
    }

    String mailCommand() {
        return mailLine;
    }

    SendResult run() throws IOException {
        boolean pipelining = config.pipelining() && extensions.supports(Extension.PIPELINING);
        boolean chunking = useChunking();
        if (!pipelining) {
            return lockStep(chunking);
        }
        return chunking ? pipelinedBdat() : pipelinedData();
    }

    private boolean useChunking() {
        boolean offered = extensions.supports(Extension.CHUNKING);
        return offered && (config.chunking() || content.bodyType() == BodyType.BINARY_MIME);
    }

    // ---- checks before anything is sent -------------------------------------------------------------------

    private void preflight() throws SmtpCapabilityException {
        if (smtpUtf8 && !extensions.supports(Extension.SMTPUTF8)) {
            throw new SmtpCapabilityException("the message needs SMTPUTF8 (a non-ASCII address or header) but the "
                    + "server does not offer it", "SMTPUTF8", config.server());
        }
        OptionalLong size = content.size();
        OptionalLong limit = extensions.sizeLimit();
        if (size.isPresent() && limit.isPresent() && size.getAsLong() > limit.getAsLong()) {
            throw new SmtpCapabilityException("message of " + size.getAsLong() + " octets exceeds the server's SIZE "
                    + "limit of " + limit.getAsLong() + " octets", "SIZE", config.server());
        }
        if (content.bodyType() == BodyType.EIGHT_BIT_MIME && !extensions.supports(Extension.EIGHTBITMIME)) {
            throw new SmtpCapabilityException("the message has 8-bit content but the server does not offer "
                    + "8BITMIME; encode it as quoted-printable or base64", "8BITMIME", config.server());
        }
        if (content.bodyType() == BodyType.BINARY_MIME
                && !(extensions.supports(Extension.BINARYMIME) && extensions.supports(Extension.CHUNKING))) {
            throw new SmtpCapabilityException("the message has binary content (NUL or lines over 998 octets) but the "
                    + "server does not offer BINARYMIME with CHUNKING", "BINARYMIME", config.server());
        }
        MailParameters p = envelope.parameters();
        if (p.usesDsn() && !extensions.supports(Extension.DSN)) {
            throw new SmtpCapabilityException("delivery status notifications were asked for but the server does not "
                    + "offer DSN", "DSN", config.server());
        }
        if (p.requireTls() && (!extensions.supports(Extension.REQUIRETLS) || session.tls().isEmpty())) {
            throw new SmtpCapabilityException("REQUIRETLS was asked for but the server does not offer it over TLS",
                    "REQUIRETLS", config.server());
        }
    }

    private String buildMailCommand() {
        StringBuilder line = new StringBuilder("MAIL FROM:<");
        if (envelope.reversePath().isPresent()) {
            line.append(envelope.reversePath().get().toSmtpString(smtpUtf8));
        }
        line.append('>');
        if (extensions.supports(Extension.SIZE) && content.size().isPresent()) {
            line.append(" SIZE=").append(content.size().getAsLong());
        }
        if (content.bodyType() == BodyType.EIGHT_BIT_MIME) {
            line.append(" BODY=8BITMIME");
        } else if (content.bodyType() == BodyType.BINARY_MIME) {
            line.append(" BODY=BINARYMIME");
        }
        if (smtpUtf8) {
            line.append(" SMTPUTF8");
        }
        MailParameters p = envelope.parameters();
        p.dsnReturn().ifPresent(r -> line.append(" RET=").append(r.name()));
        p.envelopeId().ifPresent(id -> line.append(" ENVID=").append(xtext(id)));
        if (p.requireTls()) {
            line.append(" REQUIRETLS");
        }
        return line.toString();
    }

    static String rcptCommand(Path forwardPath, Envelope envelope, boolean smtpUtf8, Extensions extensions) {
        StringBuilder line = new StringBuilder("RCPT TO:<").append(forwardPath.toSmtpString(smtpUtf8)).append('>');
        if (extensions.supports(Extension.DSN)) {
            MailParameters.RecipientParameters r = envelope.parameters().forRecipient(forwardPath);
            if (!r.dsnNotify().isEmpty()) {
                line.append(" NOTIFY=").append(r.dsnNotify().stream().sorted().map(DsnNotify::name)
                        .collect(Collectors.joining(",")));
            }
            r.originalRecipient().ifPresent(o -> line.append(" ORCPT=").append(orcpt(o)));
        }
        return line.toString();
    }

    /** RFC 3461 §4: xtext — '+', '=' and anything outside '!'..'~' as "+XX". */
    static String xtext(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < '!' || c > '~' || c == '+' || c == '=') {
                out.append('+').append(String.format(Locale.ROOT, "%02X", c));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    /** ORCPT address: "rfc822;" xtext, or RFC 6533's "utf-8;" form with \x{HEX} for non-ASCII characters. */
    private static String orcpt(String address) {
        boolean ascii = address.chars().allMatch(c -> c < 0x80);
        if (ascii) {
            return "rfc822;" + xtext(address);
        }
        StringBuilder out = new StringBuilder("utf-8;");
        address.codePoints().forEach(cp -> {
            if (cp >= 0x80 || cp == '\\' || cp == '+' || cp == '=' || cp < '!' || cp > '~') {
                out.append("\\x{").append(Integer.toHexString(cp).toUpperCase(Locale.ROOT)).append('}');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    // ---- the three plans ------------------------------------------------------------------------------------

    /** PIPELINING without CHUNKING: MAIL, RCPTs and DATA in one flight, then the body: two turns. */
    private SendResult pipelinedData() throws IOException {
        // All-or-nothing cannot pipeline DATA: a 354 would leave no way to cancel the data but dropping the line.
        boolean pipelineData = !config.allOrNothing();
        writeMailAndRcpts();
        if (pipelineData) {
            io.command("DATA");
        }
        io.flush("MAIL FROM", false);
        Reply mail = readMailReply();
        readRcptReplies();
        Reply data = pipelineData ? read("reply to DATA", config.timeouts().data()) : null;
        if (!mail.isPositive() || !recipientsOk()) {
            if (data != null && data.code() == 354) {
                // RFC 2920 §3.1: DATA was accepted though nothing can be delivered; an empty message ends it.
                io.data().write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                io.flush("empty DATA", false);
                read("reply to empty DATA", config.timeouts().finalReply());
            }
            throw refusal(mail);
        }
        if (!pipelineData) {
            io.command("DATA");
            io.flush("DATA", false);
            data = read("reply to DATA", config.timeouts().data());
        }
        if (data.code() != 354) {
            throw rejectAndReset("DATA", data);
        }
        return sendDotStuffed();
    }

    /** PIPELINING with CHUNKING: MAIL, RCPTs and the first (or only) BDAT chunk in one flight. */
    private SendResult pipelinedBdat() throws IOException {
        writeMailAndRcpts();
        boolean singleFlight = !config.allOrNothing() && content.size().isPresent()
                && content.size().getAsLong() <= SPECULATIVE_LIMIT;
        BdatFlow flow = new BdatFlow(true, !singleFlight);
        return flow.send();
    }

    /** No PIPELINING: every command waits for its reply (RFC 5321 §4.1). */
    private SendResult lockStep(boolean chunking) throws IOException {
        io.command(mailLine);
        io.flush("MAIL FROM", false);
        Reply mail = readMailReply();
        if (!mail.isPositive()) {
            throw refusal(mail);
        }
        for (int i = 0; i < rcptLines.size(); i++) {
            io.command(rcptLines.get(i));
            io.flush("RCPT TO", false);
            results.add(new RecipientResult(envelope.forwardPaths().get(i),
                    read("reply to RCPT TO", config.timeouts().rcpt())));
            if (results.get(i).reply().code() == 421) {
                session.fail();
                throw new SmtpRejectedException(rcptLines.get(i), results.get(i).reply(), config.server());
            }
        }
        if (!recipientsOk()) {
            throw refusal(mail);
        }
        if (chunking) {
            // Lock-step BDAT: a body that fits one chunk is a single BDAT LAST, one turn fewer than DATA.
            return new BdatFlow(false, false).send();
        }
        io.command("DATA");
        io.flush("DATA", false);
        Reply data = read("reply to DATA", config.timeouts().data());
        if (data.code() != 354) {
            throw rejectAndReset("DATA", data);
        }
        return sendDotStuffed();
    }

    // ---- pieces ---------------------------------------------------------------------------------------------

    private void writeMailAndRcpts() throws SmtpException {
        io.command(mailLine);
        for (String rcpt : rcptLines) {
            io.command(rcpt);
        }
    }

    /**
     * The MAIL reply. A 421 ends the session at once: the server refused the transaction before any data, so
     * the outcome is a rejection even when a speculative BDAT LAST was already written (RFC 5321 §3.8).
     */
    private Reply readMailReply() throws SmtpException {
        Reply mail = read("reply to MAIL FROM", config.timeouts().mail());
        if (mail.code() == 421) {
            session.fail();
            throw new SmtpRejectedException(mailLine, mail, config.server());
        }
        return mail;
    }

    private void readRcptReplies() throws SmtpException {
        for (int i = 0; i < rcptLines.size(); i++) {
            Reply reply = read("reply to RCPT TO", config.timeouts().rcpt());
            if (reply.code() == 421) {
                session.fail();
                throw new SmtpRejectedException(rcptLines.get(i), reply, config.server());
            }
            results.add(new RecipientResult(envelope.forwardPaths().get(i), reply));
        }
    }

    /** True when the data may go on: some recipient accepted and, for all-or-nothing, none refused. */
    private boolean recipientsOk() {
        int accepted = 0;
        for (RecipientResult r : results) {
            accepted += r.accepted() ? 1 : 0;
        }
        return accepted > 0 && (!config.allOrNothing() || accepted == results.size());
    }

    /** The exception for a refused MAIL or refused recipients, after RSET (RFC 5321 §4.1.1.5). */
    private SmtpException refusal(Reply mail) {
        resetQuietly();
        if (!mail.isPositive()) {
            return new SmtpRejectedException(mailLine, mail, config.server());
        }
        List<RecipientResult> refused = results.stream().filter(r -> !r.accepted()).toList();
        RecipientResult first = refused.get(0);
        String command = "RCPT TO:<" + first.forwardPath() + ">";
        return new SmtpRejectedException(command, first.reply(), config.server(), refused);
    }

    private SmtpException rejectAndReset(String command, Reply reply) {
        if (reply.code() == 421) {
            session.fail();
        } else {
            resetQuietly();
        }
        return new SmtpRejectedException(command, reply, config.server());
    }

    private void resetQuietly() {
        if (!session.isUsable()) {
            return;
        }
        try {
            io.command("RSET");
            io.flush("RSET", false);
            read("reply to RSET", config.timeouts().mail());
        } catch (SmtpException ignored) {
            // The transaction failed already; a broken RSET only makes the connection unusable.
        }
    }

    private Reply read(String waitingFor, Duration timeout) throws SmtpException {
        if (deadlineNanos != 0) {
            Duration left = Duration.ofNanos(deadlineNanos - System.nanoTime());
            Duration whole = config.timeouts().transaction().orElseThrow();
            if (left.compareTo(Duration.ofMillis(1)) < 0) {
                session.fail();
                throw new SmtpTimeoutException(waitingFor + " (transaction deadline)", whole, endOfDataSent,
                        config.server());
            }
            if (left.compareTo(timeout) < 0) {
                try {
                    return io.read(waitingFor, left, endOfDataSent);
                } catch (SmtpTimeoutException e) {
                    throw new SmtpTimeoutException(waitingFor + " (transaction deadline)", whole, endOfDataSent,
                            config.server());
                }
            }
        }
        return io.read(waitingFor, timeout, endOfDataSent);
    }

    /** The body through DATA: CRLF-normalised, dot-stuffed, ended by the lone dot; then the final reply. */
    private SendResult sendDotStuffed() throws IOException {
        DotStuffingOutputStream body = new DotStuffingOutputStream(io.data());
        summariseContent();
        writeTranscribed(body);
        io.endOfDataStarting();
        try {
            body.finish();
        } catch (SocketSide.Failure e) {
            throw io.failure(e.socketCause(), "message data", config.timeouts().write(), false);
        }
        endOfDataSent = true;
        io.flush("end of data", true);
        Reply last = read("reply to end of data", config.timeouts().finalReply());
        if (!last.isPositive()) {
            throw rejectAndReset("DATA (end of data)", last);
        }
        return new SendResult(last, results);
    }

    /** Writes the content into {@code body}, showing each line in the transcript when the caller asked to. */
    private void writeTranscribed(OutputStream body) throws IOException {
        if (!config.transcribeContent() || !session.transcript().enabled()) {
            writeContent(body, "message data");
            return;
        }
        ContentTranscript shown = new ContentTranscript(body, session.transcript());
        writeContent(shown, "message data");
        shown.end();
    }

    private void summariseContent() {
        if (!session.transcript().enabled()) {
            return;
        }
        OptionalLong size = content.size();
        session.transcript().content("(message content" + (size.isPresent() ? ", " + size.getAsLong() + " octets"
                : "") + ")");
    }

    /**
     * Writes the content; a failure of the socket is mapped to a typed exception, a failure of the content's own
     * source closes the connection so that no truncated message can be completed.
     */
    private void writeContent(OutputStream target, String during) throws IOException {
        try {
            content.writeTo(target);
        } catch (SocketSide.Failure e) {
            throw io.failure(e.socketCause(), during, config.timeouts().write(), false);
        } catch (BdatFlow.Abort e) {
            throw e.cause;
        } catch (SmtpException e) {
            throw e;
        } catch (IOException e) {
            session.fail();
            throw new IOException("reading the message content failed; the connection was closed so no partial "
                    + "message is delivered: " + e.getMessage(), e);
        }
    }

    /**
     * BDAT (RFC 3030): the body in chunks. Replies to MAIL and RCPT are read after the first flush; later chunk
     * replies are read lazily, never more than {@value #MAX_UNREAD_CHUNK_REPLIES} behind.
     */
    private final class BdatFlow implements BdatChunker.ChunkListener {
        private final boolean pipelined;
        private final boolean firstChunkSeparate;
        private boolean envelopeRead;
        private int unreadChunkReplies;
        private Reply mailReply;
        private Reply lastReply;
        private Reply chunkFailure;
        private BdatChunker chunker;

        /** Thrown out of the content's writeTo to stop the data once the transaction is known to fail. */
        static final class Abort extends IOException {
            final SmtpException cause;

            Abort(SmtpException cause) {
                super(cause.getMessage(), cause);
                this.cause = cause;
            }
        }

        BdatFlow(boolean pipelined, boolean firstChunkSeparate) {
            this.pipelined = pipelined;
            this.firstChunkSeparate = firstChunkSeparate;
            this.envelopeRead = !pipelined;
        }

        SendResult send() throws IOException {
            int first = pipelined ? SPECULATIVE_LIMIT : CHUNK_SIZE;
            chunker = new BdatChunker(io.writer(), first, this);
            // BDAT counts octets and needs no dot-stuffing: content already in CRLF lines goes to the chunks
            // without the line-break scan, which is most of the client's work on a large message.
            CrlfOutputStream body = content.crlfLineEndings() ? null : new CrlfOutputStream(chunker);
            if (body == null && content.size().isPresent()) {
                // Octets sent as they are, and their number known: chunks before the last need no buffer copy.
                chunker.expectSize(content.size().getAsLong());
            }
            summariseContent();
            writeTranscribed(body != null ? body : chunker);
            try {
                if (body != null) {
                    body.finish();
                }
                if (firstChunkSeparate && !envelopeRead) {
                    chunker.endChunk();
                }
                io.endOfDataStarting();
                chunker.finish();
            } catch (SocketSide.Failure e) {
                throw io.failure(e.socketCause(), "message data", config.timeouts().write(), endOfDataSent);
            } catch (Abort e) {
                throw e.cause;
            } catch (BdatChunker.ContentEndedEarly e) {
                // A chunk was announced for octets that never came: only closing the connection ends it unsent.
                session.fail();
                throw new IOException(e.getMessage() + "; the connection was closed so no partial message is "
                        + "delivered", e);
            }
            if (!lastReply.isPositive()) {
                throw rejectAndReset("BDAT LAST", lastReply);
            }
            return new SendResult(lastReply, results);
        }

        @Override
        public void chunkWritten(long size, boolean last) throws IOException {
            if (last) {
                endOfDataSent = true;
            }
            unreadChunkReplies++;
            if (!envelopeRead) {
                io.flush("MAIL FROM", endOfDataSent);
                mailReply = readMailReply();
                readRcptReplies();
                envelopeRead = true;
                if (!mailReply.isPositive() || !recipientsOk()) {
                    drainChunkReplies();
                    throw new Abort(refusal(mailReply));
                }
                chunker.chunkSize(CHUNK_SIZE);
            }
            if (last) {
                io.flush("BDAT LAST", true);
                drainChunkReplies();
            } else if (!pipelined) {
                io.flush("BDAT", false);
                drainChunkReplies();
            } else {
                // Keep the pipe full: take the replies that have already arrived, and wait for one only when too
                // many are outstanding (RFC 2920 §3.1), instead of stopping to drain them all.
                while (unreadChunkReplies > 1 && io.unreadBytes() > 0) {
                    readChunkReply();
                }
                if (unreadChunkReplies >= MAX_UNREAD_CHUNK_REPLIES) {
                    io.flush("BDAT", false);
                    readChunkReply();
                }
                abortOnFailure();
            }
        }

        /** Reads every outstanding BDAT reply; the first failure stops the data (RSET follows, RFC 3030 §2). */
        private void drainChunkReplies() throws IOException {
            while (unreadChunkReplies > 0) {
                readChunkReply();
            }
            abortOnFailure();
        }

        private void readChunkReply() throws SmtpException {
            Reply reply = read(endOfDataSent && unreadChunkReplies == 1 ? "reply to BDAT LAST" : "reply to BDAT",
                    endOfDataSent ? config.timeouts().finalReply() : config.timeouts().data());
            unreadChunkReplies--;
            lastReply = reply;
            if (!reply.isPositive() && chunkFailure == null) {
                chunkFailure = reply;
            }
        }

        private void abortOnFailure() throws Abort {
            if (chunkFailure != null && (mailReply == null || mailReply.isPositive()) && recipientsOk()) {
                throw new Abort(rejectAndReset("BDAT", chunkFailure));
            }
        }
    }
}
