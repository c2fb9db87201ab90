package dev.jsmtp.oauth2;

import dev.jsmtp.Escaping;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The authorization code grant (RFC 6749 section 4.1) for a native app: PKCE with S256 (RFC 7636) and a loopback
 * redirect (RFC 8252). It opens the browser when this machine has one; otherwise it prints the address and also
 * accepts the address the browser was redirected to, pasted back, for headless machines and SSH sessions.
 */
public final class AuthorizationCodeFlow {

    /** How long a person has to finish signing in. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private final OAuth2Settings settings;
    private final TokenEndpoint tokens;
    private final Browser browser;
    private final SecureRandom random;
    private final Duration timeout;

    public AuthorizationCodeFlow(OAuth2Settings settings, TokenEndpoint tokens, Browser browser, SecureRandom random,
            Duration timeout) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.browser = Objects.requireNonNull(browser, "browser");
        this.random = Objects.requireNonNull(random, "random");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Runs the sign-in, telling the person what to do on {@code out}; {@code in} may carry a pasted address. */
    public TokenResponse run(PrintStream out, BufferedReader in) throws IOException {
        URI authorizationEndpoint = settings.provider().authorizationEndpoint().orElseThrow(() -> new OAuth2Exception(
                "provider " + settings.provider().name() + " has no authorization endpoint: set "
                        + OAuth2Settings.AUTH_URL, OAuth2Exception.CLIENT_ERROR, Optional.empty(), false));
        Pkce pkce = Pkce.generate(random);
        String state = Pkce.randomToken(random, 16);
        Map<String, String> response;
        URI redirect;
        try (LoopbackRedirect loopback = LoopbackRedirect.start(settings.provider().redirectHost(),
                settings.redirectPort().orElse(0), state)) {
            redirect = loopback.redirectUri();
            URI address = authorizationUri(authorizationEndpoint, redirect, state, pkce);
            if (browser.available() && browser.open(address)) {
                out.println("Sign in with the browser window that just opened. If none opened, visit:");
                out.println(address);
            } else {
                out.println("Open this address in a browser and sign in:");
                out.println();
                out.println(address);
                out.println();
                out.println("The browser is then sent to " + redirect + " on this machine. If that page cannot be "
                        + "reached (the browser runs elsewhere), copy the whole address from the browser's address "
                        + "bar and paste it here:");
                readPasted(loopback, out, in);
            }
            out.flush();
            response = loopback.await(timeout);
        }
        if (response.containsKey("error")) {
            String error = response.get("error");
            Optional<String> description = OAuth2Exception.cleanDescription(response.get("error_description"));
            throw new OAuth2Exception("Sign-in at " + TokenEndpoint.where(authorizationEndpoint) + " failed: "
                    + OAuth2Exception.describe(error, description), error, description, false);
        }
        return tokens.authorizationCode(response.get("code"), redirect, pkce.verifier());
    }

    /** The authorization request (RFC 6749 section 4.1.1 with RFC 7636 section 4.3). */
    URI authorizationUri(URI endpoint, URI redirect, String state, Pkce pkce) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", settings.clientId());
        query.put("redirect_uri", redirect.toString());
        if (!settings.scopes().isEmpty()) {
            query.put("scope", String.join(" ", settings.scopes()));
        }
        query.put("state", state);
        query.put("code_challenge", pkce.challenge());
        query.put("code_challenge_method", Pkce.METHOD);
        query.putAll(settings.provider().authorizationParameters());
        String encoded = query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
        String base = endpoint.toString();
        return URI.create(base + (endpoint.getRawQuery() == null ? "?" : "&") + encoded);
    }

    // Reading stdin blocks, so it runs beside the loopback wait; whichever answer comes first wins.
    private static void readPasted(LoopbackRedirect loopback, PrintStream out, BufferedReader in) {
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Optional<String> problem = loopback.acceptPasted(line);
                    if (problem.isEmpty()) {
                        return;
                    }
                    out.println("Not accepted: " + Escaping.escape(problem.get()) + ". Paste the address again:");
                }
            } catch (IOException e) {
                // The loopback redirect may still answer; the wait's timeout ends the sign-in otherwise.
            }
        }, "jsmtp-oauth2-paste");
        reader.setDaemon(true);
        reader.start();
    }
}
