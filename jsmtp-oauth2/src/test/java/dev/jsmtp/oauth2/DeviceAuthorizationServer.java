package dev.jsmtp.oauth2;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small RFC 8628 authorization server on loopback: {@code /device} hands out a device code, {@code /token}
 * answers each poll with the next scripted reply (the last one repeats), and every form is recorded.
 */
final class DeviceAuthorizationServer implements AutoCloseable {

    static final String DEVICE_CODE = "dev-code-123";
    static final String SUCCESS = "{\"access_token\":\"at-device\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
            + "\"refresh_token\":\"rt-device\",\"scope\":\"smtp\"}";

    private final HttpServer server;
    private final String deviceResponse;
    private final Deque<String> replies;
    final List<Map<String, String>> deviceRequests = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();

    /** {@code replies} are token endpoint answers: an RFC 6749 error code, or {@link #SUCCESS}. */
    DeviceAuthorizationServer(String deviceResponse, List<String> replies) throws IOException {
        this.deviceResponse = deviceResponse;
        this.replies = new ArrayDeque<>(replies);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/device", this::device);
        server.createContext("/token", this::token);
        server.start();
    }

    static String deviceResponse(String userCode, int interval, int expiresIn) {
        return "{\"device_code\":\"" + DEVICE_CODE + "\",\"user_code\":\"" + userCode + "\","
                + "\"verification_uri\":\"https://example.org/device\",\"expires_in\":" + expiresIn
                + (interval > 0 ? ",\"interval\":" + interval : "") + "}";
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void device(HttpExchange exchange) throws IOException {
        deviceRequests.add(MockAuthorizationServer.parse(body(exchange)));
        respond(exchange, 200, deviceResponse);
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.add(MockAuthorizationServer.parse(body(exchange)));
        String reply;
        synchronized (replies) {
            reply = replies.size() > 1 ? replies.poll() : replies.peek();
        }
        if (reply.startsWith("{")) {
            respond(exchange, 200, reply);
        } else {
            respond(exchange, 400, "{\"error\":\"" + reply + "\",\"error_description\":\"scripted " + reply + "\"}");
        }
    }

    private static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
