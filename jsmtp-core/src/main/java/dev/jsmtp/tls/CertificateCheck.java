package dev.jsmtp.tls;

import java.util.List;

/**
 * Whether a server's certificate chain would pass the checks of a verified TLS connection (RFC 5280 path
 * validation, RFC 6125 name matching, validity dates), and why not: what {@code jsmtp probe} reports after a
 * handshake that accepted any certificate.
 *
 * @param chainTrusted   the chain leads to a trusted CA (and every certificate in it is within its dates)
 * @param nameMatches    the leaf certificate is for the name that was checked
 * @param currentlyValid every certificate in the chain is within its validity dates now
 * @param problems       one readable line per problem; empty when the chain passes
 */
public record CertificateCheck(boolean chainTrusted, boolean nameMatches, boolean currentlyValid,
                               List<String> problems) {

    public CertificateCheck {
        problems = List.copyOf(problems);
    }

    /** True when a verifying connection would accept this chain for this name. */
    public boolean ok() {
        return chainTrusted && nameMatches && currentlyValid;
    }
}
