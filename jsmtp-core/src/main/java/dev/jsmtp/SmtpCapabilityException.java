package dev.jsmtp;

/**
 * The message needs something the server did not announce in its EHLO reply (RFC 5321 §4.1.1.1): a size within
 * its SIZE limit (RFC 1870), 8BITMIME, BINARYMIME, SMTPUTF8, DSN or REQUIRETLS. Raised before MAIL FROM, so
 * nothing of the transaction was sent; sending the same message to the same server will not help.
 */
public final class SmtpCapabilityException extends SmtpException {

    private final String extension;

    public SmtpCapabilityException(String message, String extension, String server) {
        super(message, server, null);
        this.extension = extension;
    }

    /** The EHLO keyword that was missing or whose limit was exceeded, such as {@code SIZE} or {@code SMTPUTF8}. */
    public String extension() {
        return extension;
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
