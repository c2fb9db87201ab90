package dev.jsmtp;

/**
 * The connection could not be made or was lost (RFC 5321 §3.8). When it was lost after the end of the message
 * data was sent and before its reply, {@link #isAmbiguous()} is true: the server may have taken the message.
 */
public final class SmtpConnectionException extends SmtpException {

    private final boolean endOfDataSent;
    private final boolean hostNotFound;

    public SmtpConnectionException(String message, String server, Throwable cause, boolean endOfDataSent) {
        this(message, server, cause, endOfDataSent, false);
    }

    private SmtpConnectionException(String message, String server, Throwable cause, boolean endOfDataSent,
                                    boolean hostNotFound) {
        super(message + (endOfDataSent ? "; the message may or may not have been accepted" : ""), server, cause);
        this.endOfDataSent = endOfDataSent;
        this.hostNotFound = hostNotFound;
    }

    /** The server's name did not resolve: retrying soon will not help. */
    public static SmtpConnectionException hostNotFound(String host, Throwable cause) {
        // The host is named once, by the "(server)" every SmtpException message ends with.
        return new SmtpConnectionException("host not found", host, cause, false, true);
    }

    /** True when the name of the server could not be resolved. */
    public boolean isHostNotFound() {
        return hostNotFound;
    }

    /** True when the end of data (the final dot or {@code BDAT LAST}) had been written before the loss. */
    public boolean endOfDataSent() {
        return endOfDataSent;
    }

    @Override
    public boolean isAmbiguous() {
        return endOfDataSent;
    }

    @Override
    public boolean isTransient() {
        return !endOfDataSent && !hostNotFound;
    }
}
