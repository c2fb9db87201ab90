package dev.jsmtp;

/**
 * The server broke the protocol (RFC 5321 §4.2): a malformed, over-long or unexpected reply. The message quotes
 * the offending bytes with control characters escaped.
 */
public final class SmtpProtocolException extends SmtpException {

    public SmtpProtocolException(String message, String server) {
        super(message, server, null);
    }

    public SmtpProtocolException(String message, String server, Throwable cause) {
        super(message, server, cause);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
