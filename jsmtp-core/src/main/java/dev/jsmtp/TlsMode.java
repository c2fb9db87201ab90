package dev.jsmtp;

/**
 * How a connection is protected by TLS: implicit TLS (RFC 8314), STARTTLS (RFC 3207) required or
 * opportunistic, or none.
 */
public enum TlsMode {
    /** TLS from the first byte, as on port 465 (RFC 8314 §3.3). */
    IMPLICIT("implicit", 465),
    /** STARTTLS, and the session ends before any credentials or mail if it is not offered or fails. */
    STARTTLS_REQUIRED("starttls", 587),
    /**
     * STARTTLS when the server offers it, plain text otherwise; a refused or failed upgrade still ends the
     * session. Credentials are never sent in plain text unless allowed separately.
     */
    STARTTLS_OPPORTUNISTIC("starttls-opportunistic", 25),
    /** No TLS at all. */
    NONE("none", 25);

    private final String cliName;
    private final int defaultPort;

    TlsMode(String cliName, int defaultPort) {
        this.cliName = cliName;
        this.defaultPort = defaultPort;
    }

    /** The name the command line uses: {@code implicit}, {@code starttls}, {@code starttls-opportunistic}, {@code none}. */
    public String cliName() {
        return cliName;
    }

    /** The port this mode usually runs on: 465, 587 or 25. */
    public int defaultPort() {
        return defaultPort;
    }

    /** The mode with the given command-line name. */
    public static TlsMode fromCliName(String name) {
        for (TlsMode mode : values()) {
            if (mode.cliName.equalsIgnoreCase(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException(
                "unknown TLS mode '" + name + "' (expected implicit, starttls, starttls-opportunistic or none)");
    }
}
