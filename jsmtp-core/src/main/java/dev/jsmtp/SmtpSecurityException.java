package dev.jsmtp;

/**
 * TLS or the security policy refused to go on (RFC 3207, RFC 8314): an untrusted certificate, a failed handshake,
 * STARTTLS required but not offered, bytes injected before the handshake, or credentials that would travel in
 * plain text. Nothing of the transaction was sent.
 */
public final class SmtpSecurityException extends SmtpException {

    private final Reply reply;

    public SmtpSecurityException(String message, String server) {
        this(message, server, (Throwable) null);
    }

    public SmtpSecurityException(String message, String server, Throwable cause) {
        super(message, server, cause);
        this.reply = null;
    }

    /** A refusal the server replied, such as {@code 454 TLS not available due to temporary reason} to STARTTLS. */
    public SmtpSecurityException(String message, String server, Reply reply) {
        super(message, server, null);
        this.reply = reply;
    }

    /** True only when the server refused with a 4xx reply: a later try may find TLS available again. */
    @Override
    public boolean isTransient() {
        return reply != null && reply.isTransientNegative();
    }
}
