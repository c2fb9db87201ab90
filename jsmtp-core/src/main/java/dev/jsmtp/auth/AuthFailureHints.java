package dev.jsmtp.auth;

import dev.jsmtp.EnhancedStatus;
import dev.jsmtp.Reply;

import java.util.Optional;

/**
 * What the well-known refusals of AUTH (RFC 4954 §6, with the enhanced codes of RFC 3463 and RFC 5248) mean in
 * practice at the big providers, in words a user can act on.
 */
public final class AuthFailureHints {

    private AuthFailureHints() {
    }

    /** A hint for the reply, or empty when it is not one of the well-known ones. */
    public static Optional<String> hint(Reply reply, boolean tokenMechanism) {
        String status = reply.status().map(EnhancedStatus::toString).orElse("");
        switch (reply.code() + " " + status) {
            case "534 5.7.9":
                return Optional.of("Gmail: an application-specific password is required (2-Step Verification is"
                        + " on); create an app password or sign in with OAuth2");
            case "534 5.7.14":
                return Optional.of("Gmail: sign in with a web browser first, or use an app password or OAuth2");
            case "535 5.7.8":
                return Optional.of(tokenMechanism
                        ? "the access token was not accepted: it may have expired, or lack the scope the server"
                                + " needs (Gmail: https://mail.google.com/)"
                        : "username and password not accepted: check them; Gmail needs an app password or OAuth2");
            case "535 5.7.139":
                return Optional.of("Microsoft 365: SMTP AUTH is disabled for the tenant or the mailbox; an"
                        + " administrator can enable authenticated SMTP for it");
            case "535 5.7.3":
                return Optional.of(tokenMechanism
                        ? "Microsoft 365: authentication unsuccessful: the token may have expired, be for another"
                                + " user, or lack the SMTP.Send permission"
                        : "Microsoft 365: authentication unsuccessful: wrong credentials, or SMTP AUTH disabled"
                                + " for the mailbox");
            case "550 5.7.30":
                return Optional.of("Microsoft 365: basic authentication is not supported: use OAuth2 (XOAUTH2)");
            case "454 4.7.0":
                return Optional.of("temporary authentication failure: try again later");
            default:
                return Optional.empty();
        }
    }
}
