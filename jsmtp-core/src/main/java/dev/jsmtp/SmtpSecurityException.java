package dev.jsmtp;

/**
 * TLS or the security policy refused to go on (RFC 3207, RFC 8314): an untrusted certificate, a failed handshake,
 * STARTTLS required but not offered, bytes injected before the handshake, or credentials that would travel in
 * plain text. Nothing of the transaction was sent.
 */
public final class SmtpSecurityException extends SmtpException {

    public SmtpSecurityException(String message, String server) {
        super(message, server, null);
    }

    public SmtpSecurityException(String message, String server, Throwable cause) {
        super(message, server, cause);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
