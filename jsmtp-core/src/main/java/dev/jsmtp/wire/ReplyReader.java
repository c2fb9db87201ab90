package dev.jsmtp.wire;

import dev.jsmtp.EnhancedStatus;
import dev.jsmtp.Escaping;
import dev.jsmtp.Reply;
import dev.jsmtp.SmtpProtocolException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Reads complete SMTP replies (RFC 5321 §4.2) from a server's byte stream: one or more lines with the same
 * three-digit code, bounded in line length, line count and total size, within a deadline for the whole reply.
 *
 * <p>Not thread-safe; one reader per connection. It reads ahead into its own buffer (pipelined replies often
 * arrive together); {@link #buffered()} tells how much, which the session checks after STARTTLS's go-ahead.
 */
public final class ReplyReader {

    /**
     * Bounds on what one reply may hold; RFC 5321 §4.5.3.1.5 allows 512 octets per reply line, servers send more.
     *
     * @param maxLineLength octets per line, without its CRLF
     * @param maxLines      lines per reply
     * @param maxReplyBytes octets per reply, line endings included
     */
    public record Limits(int maxLineLength, int maxLines, int maxReplyBytes) {

        public static final Limits DEFAULTS = new Limits(2048, 512, 128 * 1024);

        public Limits {
            if (maxLineLength < 3 || maxLines < 1 || maxReplyBytes < 4) {
                throw new IllegalArgumentException("reply limits too small: line " + maxLineLength + ", lines "
                        + maxLines + ", bytes " + maxReplyBytes);
            }
        }
    }

    /** Sets the underlying read timeout before each read; the session passes {@code socket::setSoTimeout}. */
    public interface ReadTimeout {
        void setMillis(int millis) throws IOException;
    }

    private static final int QUOTE_LIMIT = 200;
    private static final int HEAD_CAPTURE = 256;
    private static final int MIN_BUFFER = 8192;

    private InputStream in;
    private final String server;
    private final Limits limits;
    private final ReadTimeout readTimeout;
    private final Consumer<String> lineListener;
    private final LongSupplier nanoClock;

    private final byte[] buf;
    private int pos;
    private int limit;

    // The first octets of the reply being read, quoted when it ends too early.
    private final byte[] head = new byte[HEAD_CAPTURE];
    private int headLength;

    public ReplyReader(InputStream in, String server, Limits limits, ReadTimeout readTimeout,
                       Consumer<String> lineListener) {
        this(in, server, limits, readTimeout, lineListener, System::nanoTime);
    }

    ReplyReader(InputStream in, String server, Limits limits, ReadTimeout readTimeout, Consumer<String> lineListener,
                LongSupplier nanoClock) {
        this.in = Objects.requireNonNull(in, "in");
        this.server = server == null ? "" : server;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.readTimeout = readTimeout;
        this.lineListener = lineListener;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        // A whole line and its CRLF always fit, so a line never has to be assembled across buffers.
        this.buf = new byte[Math.max(MIN_BUFFER, limits.maxLineLength() + 2)];
    }

    /**
     * Reads the next complete reply.
     *
     * @param timeout deadline for the complete reply, counted from now
     * @throws ReplyTimeoutException when the deadline passes first
     * @throws EOFException          when the stream ends first; the message tells how much had arrived
     * @throws SmtpProtocolException when the reply is malformed or exceeds the limits
     */
    public Reply read(Duration timeout) throws IOException {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("reply timeout must be positive: " + timeout);
        }
        long deadline = nanoClock.getAsLong() + saturatedNanos(timeout);
        headLength = 0;
        int replyBytes = 0;
        int code = -1;
        List<String> lines = new ArrayList<>();
        while (true) {
            int lineEnd = findLineEnd(replyBytes, deadline, timeout);
            int contentEnd = lineEnd > pos && buf[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            int lineStart = pos;
            int consumed = lineEnd + 1 - lineStart;
            capture(lineStart, consumed);
            pos = lineEnd + 1;
            replyBytes += consumed;
            if (lineListener != null) {
                lineListener.accept(Escaping.escape(buf, lineStart, contentEnd - lineStart));
            }
            int lineCode = parseCode(lineStart, contentEnd);
            if (code >= 0 && lineCode != code) {
                throw malformed("continuation line has code " + lineCode + " after " + code, lineStart, contentEnd);
            }
            code = lineCode;
            int textStart = Math.min(lineStart + 4, contentEnd);
            lines.add(new String(buf, textStart, contentEnd - textStart, StandardCharsets.UTF_8));
            boolean last = contentEnd - lineStart == 3 || buf[lineStart + 3] == ' ';
            if (last) {
                return new Reply(code, EnhancedStatus.parseLeading(lines.get(0)), lines);
            }
            if (lines.size() >= limits.maxLines()) {
                throw new SmtpProtocolException("Reply has more than " + limits.maxLines() + " lines: \""
                        + quote(head, 0, headLength) + "\"", server);
            }
        }
    }

    /** Bytes already read from the stream but not yet consumed by {@link #read(Duration)}. */
    public int buffered() {
        return limit - pos;
    }

    /**
     * Continues on a new stream, such as the TLS layer after a STARTTLS handshake (RFC 3207).
     *
     * @throws IllegalStateException when bytes of the old stream are still buffered: the server sent them before
     *                               the handshake, and they must not be mistaken for protected replies
     */
    public void replaceInput(InputStream in) {
        if (buffered() > 0) {
            throw new IllegalStateException(buffered() + " bytes the server sent before the TLS handshake are unread: \""
                    + quote(buf, pos, limit - pos) + "\"");
        }
        this.in = Objects.requireNonNull(in, "in");
        pos = 0;
        limit = 0;
    }

    /**
     * Returns the index of the LF ending the line at {@code pos}, reading as needed. Each byte is judged as it
     * comes (reply size, NUL, bare CR, line length, in that order), so a flood fails as soon as it passes a limit
     * and the error is the same however the bytes were split into reads.
     */
    private int findLineEnd(int replyBytes, long deadline, Duration timeout) throws IOException {
        int scan = pos;
        while (true) {
            for (; scan < limit; scan++) {
                byte b = buf[scan];
                int lineBytes = scan + 1 - pos;
                if (replyBytes + lineBytes > limits.maxReplyBytes()) {
                    throw new SmtpProtocolException("Reply longer than " + limits.maxReplyBytes() + " bytes: \""
                            + quote(head, 0, headLength) + "\"", server);
                }
                if (b == '\n') {
                    return scan;
                }
                if (b == 0) {
                    throw malformed("NUL byte in reply line", pos, scan + 1);
                }
                if (scan > pos && buf[scan - 1] == '\r') {
                    throw malformed("CR not followed by LF", pos, scan + 1);
                }
                // A CR may still turn out to be the line's end, so it does not count yet.
                if (lineBytes - (b == '\r' ? 1 : 0) > limits.maxLineLength()) {
                    throw malformed("line longer than " + limits.maxLineLength() + " bytes", pos, scan + 1);
                }
            }
            // The unfinished line holds at most maxLineLength + 1 bytes, so the buffer always has room.
            int scanned = scan - pos;
            fill(deadline, timeout, replyBytes);
            scan = pos + scanned;
        }
    }

    /** Reads at least one more byte into the buffer, after moving the unfinished line to its start. */
    private void fill(long deadline, Duration timeout, int replyBytes) throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        while (true) {
            long remaining = deadline - nanoClock.getAsLong();
            if (remaining <= 0) {
                throw timedOut(timeout, replyBytes, null);
            }
            if (readTimeout != null) {
                long millis = (remaining + 999_999) / 1_000_000;
                readTimeout.setMillis((int) Math.max(1, Math.min(Integer.MAX_VALUE, millis)));
            }
            int n;
            try {
                n = in.read(buf, limit, buf.length - limit);
            } catch (SocketTimeoutException e) {
                throw timedOut(timeout, replyBytes, e);
            }
            if (n < 0) {
                int partial = replyBytes + limit - pos;
                String what = partial == 0 ? "before a reply"
                        : "after " + partial + " bytes of a partial reply: \"" + partialQuote() + "\"";
                throw new EOFException("Connection closed by " + describeServer() + what);
            }
            if (n > 0) {
                limit += n;
                return;
            }
        }
    }

    private ReplyTimeoutException timedOut(Duration timeout, int replyBytes, Throwable cause) {
        int partial = replyBytes + limit - pos;
        String what = partial == 0 ? "; nothing had arrived"
                : "; " + partial + " bytes of a partial reply had arrived: \"" + partialQuote() + "\"";
        return new ReplyTimeoutException("No complete reply from " + describeServer() + "within "
                + timeout.toMillis() + " ms" + what, timeout, partial, cause);
    }

    private String describeServer() {
        return server.isEmpty() ? "server " : server + " ";
    }

    /** The completed lines of the current reply (as captured) followed by the unfinished line. */
    private String partialQuote() {
        byte[] all = new byte[headLength + Math.min(limit - pos, HEAD_CAPTURE)];
        System.arraycopy(head, 0, all, 0, headLength);
        System.arraycopy(buf, pos, all, headLength, all.length - headLength);
        return quote(all, 0, all.length);
    }

    private void capture(int from, int length) {
        int n = Math.min(length, HEAD_CAPTURE - headLength);
        if (n > 0) {
            System.arraycopy(buf, from, head, headLength, n);
            headLength += n;
        }
    }

    /** RFC 5321 §4.2: {@code Reply-code [ SP / "-" textstring ] CRLF}, the code 2-5, 0-5, 0-9. */
    private int parseCode(int start, int end) throws SmtpProtocolException {
        int length = end - start;
        if (length < 3 || !isDigit(buf[start]) || !isDigit(buf[start + 1]) || !isDigit(buf[start + 2])
                || (length > 3 && isDigit(buf[start + 3]))) {
            throw malformed("code is not three digits", start, end);
        }
        if (buf[start] < '2' || buf[start] > '5') {
            throw malformed("first digit of the code is not 2-5", start, end);
        }
        if (buf[start + 1] > '5') {
            throw malformed("second digit of the code is not 0-5", start, end);
        }
        if (length > 3 && buf[start + 3] != ' ' && buf[start + 3] != '-') {
            throw malformed("code is followed by neither space nor hyphen", start, end);
        }
        return (buf[start] - '0') * 100 + (buf[start + 1] - '0') * 10 + (buf[start + 2] - '0');
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private SmtpProtocolException malformed(String reason, int from, int to) {
        return new SmtpProtocolException("Malformed reply, " + reason + ": \"" + quote(buf, from, to - from) + "\"",
                server);
    }

    private static String quote(byte[] bytes, int offset, int length) {
        String escaped = Escaping.escape(bytes, offset, Math.min(length, QUOTE_LIMIT * 4));
        return escaped.length() > QUOTE_LIMIT ? escaped.substring(0, QUOTE_LIMIT) + "..." : escaped;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }
}
