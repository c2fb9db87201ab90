package dev.jsmtp;

/** When a delivery status notification is asked for, the RCPT NOTIFY parameter (RFC 3461 §4.1). */
public enum DsnNotify {
    NEVER, SUCCESS, FAILURE, DELAY
}
