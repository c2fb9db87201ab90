package dev.jsmtp;

import java.io.IOException;

/**
 * A failure of an SMTP conversation (RFC 5321): every error jsmtp raises is one of the permitted subtypes, and
 * each answers whether trying again may help. Messages name what was sent, what came back and from where; they
 * never contain a secret.
 */
public abstract sealed class SmtpException extends IOException
        permits SmtpRejectedException, SmtpProtocolException, SmtpSecurityException, SmtpAuthenticationException,
        SmtpTimeoutException, SmtpConnectionException, SmtpCapabilityException {

    private final String server;

    protected SmtpException(String message, String server, Throwable cause) {
        super(server == null || server.isEmpty() ? message : message + " (" + Escaping.escape(server) + ")", cause);
        this.server = server == null ? "" : server;
    }

    /** {@code host:port} of the server the failure came from, or empty when none was reached. */
    public String server() {
        return server;
    }

    /** True when the same send may succeed later: 4xx replies, lost or refused connections, timeouts. */
    public abstract boolean isTransient();

    /**
     * True when the end of the message data had been sent but its reply never arrived: the server may have
     * accepted the message, so resending may deliver it twice. Never retried automatically.
     */
    public boolean isAmbiguous() {
        return false;
    }
}
