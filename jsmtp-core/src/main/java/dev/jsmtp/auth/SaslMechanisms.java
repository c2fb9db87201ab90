package dev.jsmtp.auth;

import dev.jsmtp.Credentials;
import dev.jsmtp.Escaping;
import dev.jsmtp.SmtpAuthenticationException;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Chooses the SASL mechanism for AUTH (RFC 4954 §4) from the credentials and the mechanisms the server announced
 * in its EHLO reply: a forced one when it is offered; for a token, XOAUTH2 then OAUTHBEARER; for a password,
 * PLAIN, then LOGIN, then CRAM-MD5.
 */
public final class SaslMechanisms {

    /** The mechanisms jsmtp implements, in no particular order. */
    public static final List<String> SUPPORTED = List.of("PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2", "OAUTHBEARER");

    private static final List<String> PASSWORD_PREFERENCE = List.of("PLAIN", "LOGIN", "CRAM-MD5");
    private static final List<String> TOKEN_PREFERENCE = List.of("XOAUTH2", "OAUTHBEARER");

    private SaslMechanisms() {
    }

    /**
     * The mechanism to authenticate with.
     *
     * @param offered the server's AUTH keywords (any case)
     * @param forced  a mechanism the caller insists on
     * @throws SmtpAuthenticationException when nothing usable is offered, or the forced mechanism is not
     * @throws IllegalArgumentException    when the forced mechanism is unknown or does not fit the credentials
     */
    public static SaslMechanism choose(Credentials credentials, Set<String> offered, Optional<String> forced,
                                       String host, int port) throws SmtpAuthenticationException {
        String server = host + ":" + port;
        if (forced.isPresent()) {
            String name = forced.get().toUpperCase(Locale.ROOT);
            if (!SUPPORTED.contains(name)) {
                throw new IllegalArgumentException("unknown AUTH mechanism '" + Escaping.escape(forced.get())
                        + "' (jsmtp supports " + String.join(", ", SUPPORTED) + ")");
            }
            boolean tokenMechanism = TOKEN_PREFERENCE.contains(name);
            if (tokenMechanism != (credentials instanceof Credentials.OAuth2)) {
                throw new IllegalArgumentException("AUTH mechanism " + name + " needs "
                        + (tokenMechanism ? "an OAuth2 token" : "a password") + ", but the credentials hold "
                        + (tokenMechanism ? "a password" : "an OAuth2 token"));
            }
            if (!isOffered(offered, name)) {
                throw new SmtpAuthenticationException("AUTH " + name + " was asked for, but the server "
                        + describe(offered), Optional.empty(), name, false, server);
            }
            return create(name, credentials, host, port);
        }
        List<String> preference = credentials instanceof Credentials.OAuth2 ? TOKEN_PREFERENCE : PASSWORD_PREFERENCE;
        for (String name : preference) {
            if (isOffered(offered, name)) {
                return create(name, credentials, host, port);
            }
        }
        String kind = credentials instanceof Credentials.OAuth2 ? "an OAuth2 token (XOAUTH2, OAUTHBEARER)"
                : "a password (PLAIN, LOGIN, CRAM-MD5)";
        throw new SmtpAuthenticationException("no AUTH mechanism usable with " + kind + ": the server "
                + describe(offered), Optional.empty(), "", false, server);
    }

    private static SaslMechanism create(String name, Credentials credentials, String host, int port) {
        if (credentials instanceof Credentials.OAuth2 oauth) {
            return name.equals("XOAUTH2") ? XOAuth2.of(oauth) : OAuthBearer.of(oauth, host, port);
        }
        Credentials.Password password = (Credentials.Password) credentials;
        switch (name) {
            case "PLAIN":
                return Plain.of(password);
            case "LOGIN":
                return Login.of(password);
            default:
                return CramMd5.of(password);
        }
    }

    private static boolean isOffered(Set<String> offered, String name) {
        return offered.stream().anyMatch(name::equalsIgnoreCase);
    }

    private static String describe(Set<String> offered) {
        if (offered.isEmpty()) {
            return "offers no AUTH mechanism";
        }
        return "offers only " + offered.stream().map(Escaping::escape).collect(Collectors.joining(" "));
    }
}
