package dev.jsmtp.auth;

import dev.jsmtp.AccessToken;

import java.io.IOException;
import java.util.Optional;

/**
 * One SASL mechanism's client side for SMTP AUTH (RFC 4954, RFC 4422): the optional initial response and the
 * answer to each server challenge, as raw octets (the {@link Authenticator} does the base64).
 *
 * <p>Lifecycle: an instance serves one AUTH exchange. {@link #initialResponse()} is called once, first; when the
 * mechanism has one and it could not go on the AUTH line, the authenticator sends it in answer to the server's
 * first (empty) challenge. {@link #respond(byte[])} is called for every later challenge. Callers clear the
 * returned arrays after use; an {@link IOException} from {@code respond} cancels the exchange.
 */
public interface SaslMechanism {

    /** The registered mechanism name, upper case, such as {@code PLAIN}. */
    String name();

    /** The client's first message when the mechanism starts with one (PLAIN, XOAUTH2, OAUTHBEARER). */
    Optional<byte[]> initialResponse() throws IOException;

    /** The answer to a server challenge (already base64-decoded). */
    byte[] respond(byte[] challenge) throws IOException;

    /** True for OAuth2 bearer token mechanisms (XOAUTH2, OAUTHBEARER), whose refusals a fresh token may cure. */
    boolean usesToken();

    /** The OAuth2 token this exchange sent, so a refused one can be invalidated; empty for password mechanisms. */
    default Optional<AccessToken> usedToken() {
        return Optional.empty();
    }
}
