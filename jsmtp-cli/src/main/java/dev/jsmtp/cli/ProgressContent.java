package dev.jsmtp.cli;

import dev.jsmtp.BodyType;
import dev.jsmtp.Extensions;
import dev.jsmtp.MessageContent;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Message content that draws a progress bar on a terminal while the body is written (bytes sent, rate, time
 * left). Only used when standard error is a terminal and the message is over 1 MiB.
 */
public final class ProgressContent implements MessageContent {

    /** Messages larger than this get a progress bar. */
    public static final long THRESHOLD = 1 << 20;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final MessageContent content;
    private final PrintStream terminal;
    private final LongSupplier clock;

    public ProgressContent(MessageContent content, PrintStream terminal, LongSupplier nanoClock) {
        this.content = content;
        this.terminal = terminal;
        this.clock = nanoClock;
    }

    /** {@code content} with a progress bar when it is large and standard error is a terminal; else itself. */
    public static MessageContent wrap(MessageContent content, Cli cli) {
        if (cli.stderrIsTerminal() && content.size().orElse(0) > THRESHOLD) {
            return new ProgressContent(content, cli.err(), System::nanoTime);
        }
        return content;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        long total = content.size().orElse(-1);
        long started = clock.getAsLong();
        long[] sent = {0};
        long[] lastDraw = {started - REDRAW_NANOS};
        content.writeTo(new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                advance(1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                advance(len);
            }

            private void advance(int n) {
                sent[0] += n;
                long now = clock.getAsLong();
                if (now - lastDraw[0] >= REDRAW_NANOS) {
                    lastDraw[0] = now;
                    terminal.print("\r" + line(sent[0], total, now - started));
                    terminal.flush();
                }
            }
        });
        // The size counts CRLF line ends that the wire layer adds later, so finish at what was actually written.
        terminal.print("\r" + line(sent[0], sent[0], clock.getAsLong() - started) + "\n");
        terminal.flush();
    }

    /** The bar: {@code [#####     ]  48% 5.0/10.4 MiB 2.1 MiB/s 3s left}. */
    static String line(long sent, long total, long elapsedNanos) {
        double seconds = Math.max(elapsedNanos / 1e9, 1e-3);
        double rate = sent / seconds;
        StringBuilder sb = new StringBuilder();
        if (total > 0) {
            int width = 30;
            int filled = (int) Math.min(width, sent * width / total);
            sb.append('[').append("#".repeat(filled)).append(" ".repeat(width - filled)).append("] ");
            sb.append(String.format("%3d%% ", Math.min(100, sent * 100 / total)));
            sb.append(mib(sent)).append('/').append(mib(total)).append(" MiB ");
        } else {
            sb.append(mib(sent)).append(" MiB ");
        }
        sb.append(mib((long) rate)).append(" MiB/s");
        if (total > 0 && rate > 0) {
            long left = (long) Math.ceil(Math.max(0, total - sent) / rate);
            sb.append(' ').append(left).append("s left");
        }
        return sb.toString();
    }

    private static String mib(long bytes) {
        return String.format("%.1f", bytes / 1048576.0);
    }

    @Override
    public OptionalLong size() {
        return content.size();
    }

    @Override
    public BodyType bodyType() {
        return content.bodyType();
    }

    @Override
    public boolean requiresSmtpUtf8() {
        return content.requiresSmtpUtf8();
    }

    @Override
    public boolean crlfLineEndings() {
        return content.crlfLineEndings();
    }

    @Override
    public MessageContent adaptTo(Extensions extensions) {
        MessageContent adapted = content.adaptTo(extensions);
        return adapted == content ? this : new ProgressContent(adapted, terminal, clock);
    }
}
