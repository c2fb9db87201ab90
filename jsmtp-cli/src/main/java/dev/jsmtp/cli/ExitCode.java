package dev.jsmtp.cli;

import dev.jsmtp.SmtpAuthenticationException;
import dev.jsmtp.SmtpCapabilityException;
import dev.jsmtp.SmtpConnectionException;
import dev.jsmtp.SmtpException;
import dev.jsmtp.SmtpProtocolException;
import dev.jsmtp.SmtpRejectedException;
import dev.jsmtp.SmtpSecurityException;
import dev.jsmtp.SmtpTimeoutException;

/**
 * The command's exit statuses, from BSD's sysexits.h, so that cron, mutt and scripts can tell a typo from a full
 * mailbox from a server that is down; and the mapping from the core's {@link SmtpException} family to them.
 */
public final class ExitCode {

    /** The message was sent (or, with --quit-after, the conversation went as far as asked). */
    public static final int OK = 0;
    /** EX_USAGE: the command line was wrong. */
    public static final int USAGE = 64;
    /** EX_DATAERR: the input data was wrong, such as an address with CR or LF or an unreadable message. */
    public static final int DATA_ERROR = 65;
    /** EX_NOUSER: a recipient was permanently refused. */
    public static final int NO_USER = 67;
    /** EX_NOHOST: the server's host name did not resolve. */
    public static final int NO_HOST = 68;
    /** EX_UNAVAILABLE: the server permanently refused the session or the transaction. */
    public static final int UNAVAILABLE = 69;
    /** EX_SOFTWARE: a bug in jsmtp. */
    public static final int SOFTWARE = 70;
    /** EX_IOERR: reading a local file or the standard input failed. */
    public static final int IO_ERROR = 74;
    /** EX_TEMPFAIL: try again later (connection refused or lost, 4xx, timeouts). */
    public static final int TEMPORARY_FAILURE = 75;
    /** EX_PROTOCOL: the server broke the protocol. */
    public static final int PROTOCOL = 76;
    /** EX_NOPERM: authentication failed, or the TLS policy refused to go on. */
    public static final int NO_PERMISSION = 77;
    /** EX_CONFIG: the accounts file or a password source is wrong. */
    public static final int CONFIG = 78;

    /** The text --help shows under "Exit status". */
    public static final String[] HELP = {
        "0   sent",
        "64  usage error",
        "65  bad input data (e.g. an address with CR/LF)",
        "67  a recipient was permanently refused",
        "68  host not found",
        "69  service unavailable (5xx greeting, transaction permanently refused)",
        "74  a local file or standard input could not be read",
        "75  temporary failure: connection refused or reset, 4xx, timeout",
        "76  protocol error",
        "77  authentication failed, or TLS policy refused (untrusted certificate, no STARTTLS)",
        "78  configuration error",
    };

    private ExitCode() {
    }

    /** The exit status for a failure of the SMTP conversation. */
    public static int of(SmtpException e) {
        if (e instanceof SmtpRejectedException rejected) {
            // A reply that is neither success nor refusal (354 to RCPT) breaks the protocol (RFC 5321 §4.3.2).
            if (unexpected(rejected.reply())
                    || rejected.refusedRecipients().stream().anyMatch(r -> unexpected(r.reply()))) {
                return PROTOCOL;
            }
            if (!rejected.refusedRecipients().isEmpty()) {
                return rejected.isTransient() ? TEMPORARY_FAILURE : NO_USER;
            }
            if (rejected.reply().isTransientNegative()) {
                return TEMPORARY_FAILURE;
            }
            return rejected.command().regionMatches(true, 0, "RCPT", 0, 4) ? NO_USER : UNAVAILABLE;
        }
        if (e instanceof SmtpAuthenticationException auth) {
            return auth.isTransient() ? TEMPORARY_FAILURE : NO_PERMISSION;
        }
        if (e instanceof SmtpSecurityException security) {
            return security.isTransient() ? TEMPORARY_FAILURE : NO_PERMISSION;
        }
        if (e instanceof SmtpProtocolException) {
            return PROTOCOL;
        }
        if (e instanceof SmtpTimeoutException) {
            return TEMPORARY_FAILURE;
        }
        if (e instanceof SmtpCapabilityException) {
            return UNAVAILABLE;
        }
        if (e instanceof SmtpConnectionException connection) {
            return connection.isHostNotFound() ? NO_HOST : TEMPORARY_FAILURE;
        }
        return e.isTransient() ? TEMPORARY_FAILURE : UNAVAILABLE;
    }

    private static boolean unexpected(dev.jsmtp.Reply reply) {
        return !reply.isPositive() && !reply.isTransientNegative() && !reply.isPermanentNegative();
    }
}
