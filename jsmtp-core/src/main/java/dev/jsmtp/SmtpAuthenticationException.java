package dev.jsmtp;

import java.util.Optional;

/**
 * The server refused the credentials (RFC 4954 §6): the reply, the SASL mechanism that was tried, whether a fresh
 * OAuth2 token may help, and a hint for the well-known provider replies.
 */
public final class SmtpAuthenticationException extends SmtpException {

    private final Optional<Reply> reply;
    private final String mechanism;
    private final boolean freshTokenMayHelp;

    public SmtpAuthenticationException(String message, Optional<Reply> reply, String mechanism,
                                       boolean freshTokenMayHelp, String server) {
        super(message, server, null);
        this.reply = reply;
        this.mechanism = mechanism;
        this.freshTokenMayHelp = freshTokenMayHelp;
    }

    /** The server's final reply to AUTH, when there was one. */
    public Optional<Reply> reply() {
        return reply;
    }

    /** The SASL mechanism name, such as {@code PLAIN} or {@code XOAUTH2}. */
    public String mechanism() {
        return mechanism;
    }

    /** True when the server rejected an OAuth2 access token that a refresh may replace. */
    public boolean freshTokenMayHelp() {
        return freshTokenMayHelp;
    }

    @Override
    public boolean isTransient() {
        return reply.map(Reply::isTransientNegative).orElse(false);
    }
}
