package dev.jsmtp.oauth2;

import dev.jsmtp.Escaping;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * An OAuth2 request failed (RFC 6749 section 5.2, RFC 8628 section 3.5): the error code the server sent, its
 * description, and whether only a new sign-in can help. Messages never contain a token, code or secret.
 */
public final class OAuth2Exception extends IOException {

    private static final long serialVersionUID = 1L;

    /** The error code used when the failure did not come from the server's own error response. */
    public static final String CLIENT_ERROR = "jsmtp_error";

    private final String error;
    private final String description;
    private final boolean loginRequired;

    public OAuth2Exception(String message, String error, Optional<String> description, boolean loginRequired) {
        this(message, error, description, loginRequired, null);
    }

    public OAuth2Exception(String message, String error, Optional<String> description, boolean loginRequired,
            Throwable cause) {
        super(message, cause);
        this.error = Objects.requireNonNull(error, "error");
        this.description = description.orElse(null);
        this.loginRequired = loginRequired;
    }

    /** The RFC 6749 error code ({@code invalid_grant}, {@code access_denied}, ...) or {@link #CLIENT_ERROR}. */
    public String error() {
        return error;
    }

    /** The server's {@code error_description}, control characters escaped. */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** True when the stored sign-in is gone (revoked, expired, refused) and only a new login helps. */
    public boolean loginRequired() {
        return loginRequired;
    }

    /** The advice shown when an account must sign in again. */
    static String loginAgain(String account) {
        return "Run \"jsmtp oauth2 login --account " + Escaping.escape(account) + "\" again.";
    }

    /** An error response from the server, described as {@code code (description)}. */
    static String describe(String error, Optional<String> description) {
        return Escaping.escape(error) + description.map(d -> " (" + d + ")").orElse("");
    }

    /** The server's description, escaped and cut short so that a hostile server cannot flood the terminal. */
    static Optional<String> cleanDescription(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String text = raw.strip();
        if (text.length() > 300) {
            text = text.substring(0, 300) + "...";
        }
        return Optional.of(Escaping.escape(text));
    }
}
