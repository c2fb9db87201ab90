package dev.jsmtp.oauth2;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An OAuth2 authorization server (RFC 6749) as jsmtp signs in to it: its endpoints, the scopes a mail client asks
 * for, and whether it signs in a user or the application itself (client credentials, RFC 6749 section 4.4).
 *
 * @param name                        a short name for messages: {@code google}, {@code microsoft}, ...
 * @param authorizationEndpoint       where the browser goes for the authorization code grant (RFC 6749 section 3.1)
 * @param tokenEndpoint               where codes, refresh tokens and client credentials become tokens (section 3.2)
 * @param deviceAuthorizationEndpoint the RFC 8628 device authorization endpoint, if the provider offers one for mail
 * @param scopes                      the scopes asked for when the settings name none
 * @param grant                       whether a user signs in or the application uses its own credentials
 * @param redirectHost                the host written in the loopback redirect URI (RFC 8252 section 7.3)
 * @param authorizationParameters     extra query parameters the provider needs to hand out a refresh token
 */
public record OAuth2Provider(String name, Optional<URI> authorizationEndpoint, URI tokenEndpoint,
        Optional<URI> deviceAuthorizationEndpoint, List<String> scopes, Grant grant, String redirectHost,
        Map<String, String> authorizationParameters) {

    /** Who the token speaks for. */
    public enum Grant {
        /** A person signs in once (browser or device code); a refresh token keeps the account signed in. */
        USER,
        /** The application authenticates as itself with its client secret (RFC 6749 section 4.4). */
        CLIENT_CREDENTIALS
    }

    /** The tenant Microsoft uses when none is configured: work, school and personal accounts alike. */
    public static final String DEFAULT_TENANT = "common";

    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,99}");

    public OAuth2Provider {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(grant, "grant");
        Objects.requireNonNull(redirectHost, "redirectHost");
        authorizationEndpoint = authorizationEndpoint == null ? Optional.empty() : authorizationEndpoint;
        deviceAuthorizationEndpoint = deviceAuthorizationEndpoint == null ? Optional.empty()
                : deviceAuthorizationEndpoint;
        authorizationEndpoint.ifPresent(u -> requireSafeEndpoint(u, "authorization endpoint"));
        requireSafeEndpoint(Objects.requireNonNull(tokenEndpoint, "tokenEndpoint"), "token endpoint");
        deviceAuthorizationEndpoint.ifPresent(u -> requireSafeEndpoint(u, "device authorization endpoint"));
        scopes = List.copyOf(scopes);
        authorizationParameters = Map.copyOf(authorizationParameters);
        if (!redirectHost.equals("127.0.0.1") && !redirectHost.equals("localhost") && !redirectHost.equals("[::1]")) {
            throw new IllegalArgumentException("redirect host must be a loopback name (RFC 8252), not " + redirectHost);
        }
    }

    /** Google (Gmail and Workspace): browser sign-in only, since Google offers no device flow for the mail scope. */
    public static OAuth2Provider google() {
        return new OAuth2Provider("google", Optional.of(URI.create("https://accounts.google.com/o/oauth2/v2/auth")),
                URI.create("https://oauth2.googleapis.com/token"), Optional.empty(),
                List.of("https://mail.google.com/"), Grant.USER, "127.0.0.1",
                // Google hands out a refresh token only for offline access, and again only when consent is shown.
                Map.of("access_type", "offline", "prompt", "consent"));
    }

    /** Microsoft 365 and Outlook.com, delegated: a user signs in by browser or device code. */
    public static OAuth2Provider microsoft(String tenant) {
        String base = microsoftBase(tenant);
        // Entra ID accepts http://localhost with any port for public clients; 127.0.0.1 needs a manifest edit.
        return new OAuth2Provider("microsoft", Optional.of(URI.create(base + "/authorize")),
                URI.create(base + "/token"), Optional.of(URI.create(base + "/devicecode")),
                List.of("https://outlook.office.com/SMTP.Send", "offline_access"), Grant.USER, "localhost", Map.of());
    }

    /** Microsoft 365 app-only: the application sends as a mailbox it was granted, with client credentials. */
    public static OAuth2Provider microsoftApp(String tenant) {
        String lower = tenant.toLowerCase(Locale.ROOT);
        if (lower.equals("common") || lower.equals("organizations") || lower.equals("consumers")) {
            throw new IllegalArgumentException("app-only sign-in needs the organisation's own tenant (its ID or "
                    + "domain), not \"" + tenant + "\"");
        }
        String base = microsoftBase(tenant);
        return new OAuth2Provider("microsoft-app", Optional.empty(), URI.create(base + "/token"), Optional.empty(),
                List.of("https://outlook.office365.com/.default"), Grant.CLIENT_CREDENTIALS, "localhost", Map.of());
    }

    /** Any other RFC 6749 server: only the token endpoint is known; set the others with the {@code with} methods. */
    public static OAuth2Provider custom(URI tokenEndpoint) {
        return new OAuth2Provider("custom", Optional.empty(), tokenEndpoint, Optional.empty(), List.of(), Grant.USER,
                "127.0.0.1", Map.of());
    }

    public OAuth2Provider withAuthorizationEndpoint(URI endpoint) {
        return new OAuth2Provider(name, Optional.of(endpoint), tokenEndpoint, deviceAuthorizationEndpoint, scopes,
                grant, redirectHost, authorizationParameters);
    }

    public OAuth2Provider withTokenEndpoint(URI endpoint) {
        return new OAuth2Provider(name, authorizationEndpoint, endpoint, deviceAuthorizationEndpoint, scopes, grant,
                redirectHost, authorizationParameters);
    }

    public OAuth2Provider withDeviceAuthorizationEndpoint(URI endpoint) {
        return new OAuth2Provider(name, authorizationEndpoint, tokenEndpoint, Optional.of(endpoint), scopes, grant,
                redirectHost, authorizationParameters);
    }

    public OAuth2Provider withScopes(List<String> newScopes) {
        return new OAuth2Provider(name, authorizationEndpoint, tokenEndpoint, deviceAuthorizationEndpoint, newScopes,
                grant, redirectHost, authorizationParameters);
    }

    public OAuth2Provider withGrant(Grant newGrant) {
        return new OAuth2Provider(name, authorizationEndpoint, tokenEndpoint, deviceAuthorizationEndpoint, scopes,
                newGrant, redirectHost, authorizationParameters);
    }

    private static String microsoftBase(String tenant) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("Microsoft tenant must be a tenant ID, a domain, \"common\", "
                    + "\"organizations\" or \"consumers\", not \"" + tenant + "\"");
        }
        return "https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0";
    }

    // Client secrets, codes and tokens travel to these endpoints: plain HTTP only ever to this machine.
    private static void requireSafeEndpoint(URI uri, String what) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost();
        boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]")
                || host.equals("::1");
        if (!(scheme.equals("https") && !host.isEmpty()) && !(scheme.equals("http") && loopback)) {
            throw new IllegalArgumentException(what + " must be an https URL (http only on loopback), not " + uri);
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException(what + " must not have a fragment (RFC 6749 section 3.1): " + uri);
        }
    }
}
