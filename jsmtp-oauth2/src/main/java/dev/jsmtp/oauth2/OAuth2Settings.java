package dev.jsmtp.oauth2;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One account's OAuth2 client registration (RFC 6749 section 2): which provider, the client identifier and optional
 * secret, the scopes and the sign-in flow, read from an account's section of the accounts file.
 *
 * @param provider           endpoints and defaults, with any endpoint the settings override already applied
 * @param clientId           the client identifier issued at registration
 * @param clientSecret       the client secret, for confidential clients (Google desktop clients have one too)
 * @param scopes             the scopes to ask for
 * @param redirectPort       a fixed loopback port for the redirect, when the registration demands one
 * @param tenant             the Microsoft tenant (ignored by other providers)
 * @param flow               how a person signs in
 * @param tokenStoreCommand  an external program that keeps tokens instead of files ({@code token-store-cmd})
 * @param tokenDirectory     the directory of token files, when not the default
 */
public record OAuth2Settings(OAuth2Provider provider, String clientId, Optional<String> clientSecret,
        List<String> scopes, OptionalInt redirectPort, String tenant, Flow flow, Optional<String> tokenStoreCommand,
        Optional<Path> tokenDirectory) {

    /** How a person signs in; irrelevant for client credentials. */
    public enum Flow {
        /** The browser when this machine can open one, else the device flow when offered, else a pasted URL. */
        AUTO,
        /** Authorization code with PKCE and a loopback redirect (RFC 7636, RFC 8252). */
        BROWSER,
        /** Device authorization grant (RFC 8628): a code typed on another device. */
        DEVICE
    }

    public static final String PROVIDER = "oauth2-provider";
    public static final String CLIENT_ID = "oauth2-client-id";
    public static final String CLIENT_SECRET = "oauth2-client-secret";
    public static final String CLIENT_SECRET_CMD = "oauth2-client-secret-cmd";
    public static final String TENANT = "oauth2-tenant";
    public static final String SCOPE = "oauth2-scope";
    public static final String AUTH_URL = "oauth2-auth-url";
    public static final String TOKEN_URL = "oauth2-token-url";
    public static final String DEVICE_URL = "oauth2-device-url";
    public static final String REDIRECT_PORT = "oauth2-redirect-port";
    public static final String FLOW = "oauth2-flow";
    public static final String GRANT = "oauth2-grant";
    public static final String TOKEN_STORE_CMD = "token-store-cmd";
    public static final String TOKEN_DIR = "oauth2-token-dir";

    public OAuth2Settings {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException(CLIENT_ID + " is empty");
        }
        clientSecret = clientSecret == null ? Optional.empty() : clientSecret;
        scopes = List.copyOf(scopes);
        redirectPort = redirectPort == null ? OptionalInt.empty() : redirectPort;
        redirectPort.ifPresent(p -> {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException(REDIRECT_PORT + " must be 1-65535, not " + p);
            }
        });
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(flow, "flow");
        tokenStoreCommand = tokenStoreCommand == null ? Optional.empty() : tokenStoreCommand;
        tokenDirectory = tokenDirectory == null ? Optional.empty() : tokenDirectory;
        if (provider.grant() == OAuth2Provider.Grant.CLIENT_CREDENTIALS && clientSecret.isEmpty()) {
            throw new IllegalArgumentException("provider " + provider.name() + " signs in with client credentials: set "
                    + CLIENT_SECRET + " or " + CLIENT_SECRET_CMD);
        }
    }

    /** Settings for a provider with its default scopes, automatic flow and the default token files. */
    public static OAuth2Settings of(OAuth2Provider provider, String clientId, Optional<String> clientSecret) {
        return new OAuth2Settings(provider, clientId, clientSecret, provider.scopes(), OptionalInt.empty(),
                OAuth2Provider.DEFAULT_TENANT, Flow.AUTO, Optional.empty(), Optional.empty());
    }

    /**
     * Reads the {@code oauth2-*} keys of an account (other keys are ignored). {@code oauth2-client-secret-cmd} is
     * run here, through {@code /bin/sh -c}, and its first output line is the secret.
     *
     * @throws IllegalArgumentException naming the key when a value is missing or malformed
     * @throws IOException              when the secret command fails
     */
    public static OAuth2Settings fromProperties(Map<String, String> properties) throws IOException {
        String providerName = value(properties, PROVIDER).orElseThrow(() -> missing(PROVIDER)).toLowerCase(Locale.ROOT);
        String tenant = value(properties, TENANT).orElse(OAuth2Provider.DEFAULT_TENANT);
        Optional<URI> tokenUrl = uri(properties, TOKEN_URL);
        OAuth2Provider provider;
        switch (providerName) {
            case "google":
                provider = OAuth2Provider.google();
                break;
            case "microsoft":
                provider = OAuth2Provider.microsoft(tenant);
                break;
            case "microsoft-app":
                provider = OAuth2Provider.microsoftApp(tenant);
                break;
            case "custom":
                provider = OAuth2Provider.custom(tokenUrl.orElseThrow(() -> missing(TOKEN_URL)));
                break;
            default:
                throw new IllegalArgumentException(PROVIDER + " must be google, microsoft, microsoft-app or custom, "
                        + "not \"" + providerName + "\"");
        }
        provider = tokenUrl.map(provider::withTokenEndpoint).orElse(provider);
        provider = uri(properties, AUTH_URL).map(provider::withAuthorizationEndpoint).orElse(provider);
        provider = uri(properties, DEVICE_URL).map(provider::withDeviceAuthorizationEndpoint).orElse(provider);
        Optional<String> grant = value(properties, GRANT).map(g -> g.toLowerCase(Locale.ROOT));
        if (grant.isPresent()) {
            switch (grant.get()) {
                case "user":
                    provider = provider.withGrant(OAuth2Provider.Grant.USER);
                    break;
                case "client-credentials":
                    provider = provider.withGrant(OAuth2Provider.Grant.CLIENT_CREDENTIALS);
                    break;
                default:
                    throw new IllegalArgumentException(GRANT + " must be user or client-credentials, not \""
                            + grant.get() + "\"");
            }
        }
        List<String> scopes = value(properties, SCOPE)
                .map(s -> Arrays.asList(s.trim().split("[\\s]+")))
                .orElse(provider.scopes());
        Optional<String> secret = value(properties, CLIENT_SECRET);
        Optional<String> secretCommand = value(properties, CLIENT_SECRET_CMD);
        if (secret.isPresent() && secretCommand.isPresent()) {
            throw new IllegalArgumentException("set either " + CLIENT_SECRET + " or " + CLIENT_SECRET_CMD + ", not both");
        }
        if (secretCommand.isPresent()) {
            secret = Optional.of(ExternalCommand.firstLine(secretCommand.get(), CLIENT_SECRET_CMD));
        }
        OptionalInt port = OptionalInt.empty();
        Optional<String> portText = value(properties, REDIRECT_PORT);
        if (portText.isPresent()) {
            try {
                port = OptionalInt.of(Integer.parseInt(portText.get()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(REDIRECT_PORT + " must be a port number, not \""
                        + portText.get() + "\"");
            }
        }
        Flow flow;
        String flowText = value(properties, FLOW).orElse("auto").toLowerCase(Locale.ROOT);
        switch (flowText) {
            case "auto":
                flow = Flow.AUTO;
                break;
            case "browser":
                flow = Flow.BROWSER;
                break;
            case "device":
                flow = Flow.DEVICE;
                break;
            default:
                throw new IllegalArgumentException(FLOW + " must be auto, browser or device, not \"" + flowText + "\"");
        }
        return new OAuth2Settings(provider, value(properties, CLIENT_ID).orElseThrow(() -> missing(CLIENT_ID)), secret,
                scopes, port, tenant, flow, value(properties, TOKEN_STORE_CMD),
                value(properties, TOKEN_DIR).map(Path::of));
    }

    /** The client secret stays out of logs. */
    @Override
    public String toString() {
        return "OAuth2Settings[provider=" + provider.name() + ", clientId=" + clientId + ", clientSecret="
                + (clientSecret.isPresent() ? "****" : "none") + ", scopes=" + scopes + ", flow=" + flow + "]";
    }

    private static Optional<String> value(Map<String, String> properties, String key) {
        String v = properties.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    private static Optional<URI> uri(Map<String, String> properties, String key) {
        return value(properties, key).map(v -> {
            try {
                return new URI(v);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException(key + " is not a URL: " + e.getMessage());
            }
        });
    }

    private static IllegalArgumentException missing(String key) {
        return new IllegalArgumentException("missing " + key);
    }
}
