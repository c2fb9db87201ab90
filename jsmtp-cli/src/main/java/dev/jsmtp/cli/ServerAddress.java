package dev.jsmtp.cli;

import java.util.OptionalInt;

/**
 * A server as given on the command line, {@code HOST[:PORT]}: a host name, an IPv4 address, or an IPv6 address in
 * brackets ({@code [::1]:25}); a bare IPv6 address without a port is accepted too.
 */
public record ServerAddress(String host, OptionalInt port) {

    public ServerAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("empty host name");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("host name contains a space or control character");
            }
        }
        port.ifPresent(ServerAddress::checkPort);
    }

    /** Parses {@code HOST}, {@code HOST:PORT}, {@code [V6]}, {@code [V6]:PORT} or a bare IPv6 address. */
    public static ServerAddress parse(String text) {
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' in " + text);
            }
            String host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (rest.isEmpty()) {
                return new ServerAddress(host, OptionalInt.empty());
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("expected ':PORT' after ']' in " + text);
            }
            return new ServerAddress(host, OptionalInt.of(parsePort(rest.substring(1))));
        }
        int colon = text.indexOf(':');
        if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
            // No colon, or several: a bare IPv6 address.
            return new ServerAddress(text, OptionalInt.empty());
        }
        return new ServerAddress(text.substring(0, colon), OptionalInt.of(parsePort(text.substring(colon + 1))));
    }

    static int parsePort(String text) {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number: " + text);
        }
        checkPort(port);
        return port;
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range 1-65535: " + port);
        }
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port.isPresent() ? h + ":" + port.getAsInt() : h;
    }
}
