package dev.jsmtp;

/** What a delivery status notification returns of the message, the MAIL RET parameter (RFC 3461 §4.3). */
public enum DsnReturn {
    /** The whole message. */
    FULL,
    /** The headers only. */
    HDRS
}
