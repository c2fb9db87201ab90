package dev.jsmtp.oauth2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.UnaryOperator;

/** Plays the user's browser: loads the authorization address, then follows the redirect to jsmtp's loopback. */
final class PlayingBrowser implements Browser {

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final UnaryOperator<URI> tamper;
    volatile URI opened;
    volatile URI redirectedTo;
    volatile int loopbackStatus;

    PlayingBrowser() {
        this(UnaryOperator.identity());
    }

    /** A browser that changes the redirect address before following it (an attacker's forged redirect, say). */
    PlayingBrowser(UnaryOperator<URI> tamper) {
        this.tamper = tamper;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public boolean open(URI uri) {
        opened = uri;
        redirectedTo = redirect(client, uri);
        loopbackStatus = get(client, tamper.apply(redirectedTo)).statusCode();
        return true;
    }

    /** The Location the authorization server redirects the browser to. */
    static URI redirect(HttpClient client, URI authorization) {
        HttpResponse<String> response = get(client, authorization);
        if (response.statusCode() / 100 != 3) {
            throw new AssertionError("authorization server answered " + response.statusCode() + ": "
                    + response.body());
        }
        return URI.create(response.headers().firstValue("Location").orElseThrow());
    }

    static HttpResponse<String> get(HttpClient client, URI uri) {
        try {
            return client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
