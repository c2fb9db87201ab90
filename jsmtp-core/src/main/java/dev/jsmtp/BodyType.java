package dev.jsmtp;

/** The kind of octets a message's content holds, which decides the MAIL BODY= parameter (RFC 6152, RFC 3030). */
public enum BodyType {
    /** US-ASCII lines of at most 998 octets: sent without a BODY parameter. */
    SEVEN_BIT,
    /** Octets above 127 in CRLF lines: {@code BODY=8BITMIME}. */
    EIGHT_BIT_MIME,
    /** Any octets, including NUL and bare CR/LF: {@code BODY=BINARYMIME}, only with BDAT. */
    BINARY_MIME
}
