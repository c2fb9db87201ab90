package dev.jsmtp.message;

import dev.jsmtp.BodyType;
import dev.jsmtp.Extension;
import dev.jsmtp.Extensions;
import dev.jsmtp.MessageContent;

import java.io.IOException;
import java.io.OutputStream;
import java.util.OptionalLong;

/**
 * A {@link MailMessage} rendered for one kind of transport: 7-bit, with 8BITMIME (RFC 6152) or with SMTPUTF8
 * (RFC 6531/6532). The MIME tree and its boundaries are fixed once, so every write yields the same octets and
 * {@link #size()} is exact.
 */
final class ComposedContent implements MessageContent {

    private static final byte[] CRLF = {'\r', '\n'};

    private final MailMessage message;
    private final boolean eightBit;
    private final boolean utf8;
    private final BodyPart root;

    ComposedContent(MailMessage message, boolean eightBit, boolean utf8) {
        this.message = message;
        this.eightBit = eightBit;
        this.utf8 = utf8;
        this.root = MimeWriter.render(message, eightBit, utf8);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        root.writeTo(out);
        if (!root.bodyEndsWithLineBreak()) {
            out.write(CRLF);
        }
        out.flush();
    }

    @Override
    public OptionalLong size() {
        OptionalLong s = root.size();
        if (s.isEmpty()) {
            return s;
        }
        return OptionalLong.of(s.getAsLong() + (root.bodyEndsWithLineBreak() ? 0 : 2));
    }

    @Override
    public BodyType bodyType() {
        return utf8 || root.hasEightBit() ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT;
    }

    @Override
    public boolean requiresSmtpUtf8() {
        return utf8;
    }

    /**
     * Always: header fields refuse CR and LF and fold with CRLF, text bodies have every line break turned into
     * CRLF before they are encoded, and the encoders and boundaries write CRLF only. BDAT can then skip the scan.
     */
    @Override
    public boolean crlfLineEndings() {
        return true;
    }

    /**
     * 8bit text bodies when the server offers 8BITMIME; UTF-8 header fields only when an address needs them
     * (then without SMTPUTF8 the transaction fails, as it must, since no 7-bit form of such an address exists).
     */
    @Override
    public MessageContent adaptTo(Extensions extensions) {
        boolean wantEightBit = extensions.supports(Extension.EIGHTBITMIME);
        if (wantEightBit == eightBit) {
            return this;
        }
        return new ComposedContent(message, wantEightBit, utf8);
    }
}
