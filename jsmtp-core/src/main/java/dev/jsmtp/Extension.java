package dev.jsmtp;

/** The SMTP service extensions jsmtp acts on, as EHLO keywords (RFC 5321 §4.1.1.1 and each extension's RFC). */
public enum Extension {
    /** RFC 1870: message size declaration, with an optional limit. */
    SIZE,
    /** RFC 2920: command pipelining. */
    PIPELINING,
    /** RFC 3030: BDAT. */
    CHUNKING,
    /** RFC 3030: BODY=BINARYMIME, only with BDAT. */
    BINARYMIME,
    /** RFC 6152: BODY=8BITMIME. */
    EIGHTBITMIME("8BITMIME"),
    /** RFC 6531: UTF-8 addresses and headers. */
    SMTPUTF8,
    /** RFC 3461: delivery status notifications. */
    DSN,
    /** RFC 2034: enhanced status codes in replies. */
    ENHANCEDSTATUSCODES,
    /** RFC 3207: STARTTLS. */
    STARTTLS,
    /** RFC 8689: REQUIRETLS. */
    REQUIRETLS,
    /** RFC 4954: AUTH, with its mechanisms. */
    AUTH;

    private final String keyword;

    Extension() {
        this.keyword = name();
    }

    Extension(String keyword) {
        this.keyword = keyword;
    }

    /** The EHLO keyword, upper case. */
    public String keyword() {
        return keyword;
    }
}
