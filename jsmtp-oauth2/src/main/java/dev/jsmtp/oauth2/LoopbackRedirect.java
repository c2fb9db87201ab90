package dev.jsmtp.oauth2;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jsmtp.Escaping;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The loopback redirect of a native app (RFC 8252 section 7.3): an ephemeral HTTP server on 127.0.0.1 that waits
 * for the authorization response (RFC 6749 section 4.1.2) and accepts it only with this request's {@code state}.
 * Lifecycle: {@link #start}, then {@link #await} once, then {@link #close}.
 */
final class LoopbackRedirect implements AutoCloseable {

    private final HttpServer server;
    private final URI redirectUri;
    private final byte[] expectedState;
    private final CompletableFuture<Map<String, String>> response = new CompletableFuture<>();

    private LoopbackRedirect(HttpServer server, URI redirectUri, String expectedState) {
        this.server = server;
        this.redirectUri = redirectUri;
        this.expectedState = expectedState.getBytes(StandardCharsets.US_ASCII);
    }

    /** Listens on the loopback interface, on {@code port} or (0) on a port the system picks. */
    static LoopbackRedirect start(String redirectHost, int port, String state) throws IOException {
        InetAddress bind = redirectHost.equals("[::1]") ? InetAddress.getByName("::1")
                : InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 0);
        } catch (IOException e) {
            throw new IOException("could not listen on " + bind.getHostAddress() + ":" + port
                    + " for the browser's return from sign-in: " + e.getMessage(), e);
        }
        URI redirect = URI.create("http://" + redirectHost + ":" + server.getAddress().getPort() + "/");
        LoopbackRedirect loopback = new LoopbackRedirect(server, redirect, state);
        server.createContext("/", loopback::handle);
        server.start();
        return loopback;
    }

    URI redirectUri() {
        return redirectUri;
    }

    /**
     * Takes an authorization response the user pasted (the whole address the browser showed, or its query).
     *
     * @return empty when accepted, else why it was not
     */
    Optional<String> acceptPasted(String line) {
        String text = line.strip();
        int question = text.indexOf('?');
        String query = question >= 0 ? text.substring(question + 1) : text;
        int hash = query.indexOf('#');
        if (hash >= 0) {
            query = query.substring(0, hash);
        }
        Map<String, String> params = parseQuery(query);
        if (!params.containsKey("code") && !params.containsKey("error")) {
            return Optional.of("that address has no code or error parameter");
        }
        if (!stateMatches(params)) {
            return Optional.of("that address belongs to another sign-in (its state differs)");
        }
        response.complete(params);
        return Optional.empty();
    }

    /** The authorization response's parameters, with {@code state} already checked. */
    Map<String, String> await(Duration timeout) throws IOException {
        try {
            return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new OAuth2Exception("No authorization response reached " + redirectUri + " within "
                    + timeout.toMinutes() + " minutes", "timeout", Optional.empty(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the authorization response", e);
        } catch (ExecutionException e) {
            throw new IOException("the loopback redirect failed", e.getCause());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") || !exchange.getRequestURI().getPath().equals("/")) {
                respond(exchange, 404, "Not found.");
                return;
            }
            Map<String, String> params = parseQuery(exchange.getRequestURI().getRawQuery());
            // Anything without our state may be a forged redirect (RFC 6749 section 10.12): refuse, keep waiting.
            if (!stateMatches(params)) {
                respond(exchange, 400, "This sign-in response does not belong to the jsmtp sign-in in progress.");
                return;
            }
            if (params.containsKey("error")) {
                response.complete(params);
                respond(exchange, 200, "Sign-in failed: " + html(params.get("error"))
                        + ". You can close this window and look at the terminal.");
            } else if (params.containsKey("code")) {
                response.complete(params);
                respond(exchange, 200, "jsmtp is signed in. You can close this window.");
            } else {
                respond(exchange, 400, "The response has neither a code nor an error.");
            }
        }
    }

    private boolean stateMatches(Map<String, String> params) {
        String state = params.get("state");
        return state != null && MessageDigest.isEqual(expectedState, state.getBytes(StandardCharsets.US_ASCII));
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>jsmtp</title></head><body><p>"
                + text + "</p></body></html>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String html(String text) {
        return Escaping.escape(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            // RFC 6749 section 3.1: a parameter must not repeat; keep the first so a later one cannot override it.
            params.putIfAbsent(name, value);
        }
        return params;
    }
}
