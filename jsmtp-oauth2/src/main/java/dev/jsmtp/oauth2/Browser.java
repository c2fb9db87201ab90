package dev.jsmtp.oauth2;

import java.net.URI;

/** Opens the authorization request (RFC 6749 section 4.1.1) in the user's browser, the RFC 8252 external agent. */
public interface Browser {

    /** Whether this machine has a browser that {@link #open} can start. */
    boolean available();

    /** Opens the address; false when it could not. */
    boolean open(URI uri);

    /** The desktop's default browser through {@code java.awt.Desktop}, when not headless; AWT loads only here. */
    static Browser system() {
        return new Browser() {
            @Override
            public boolean available() {
                return DesktopBrowser.available();
            }

            @Override
            public boolean open(URI uri) {
                return DesktopBrowser.open(uri);
            }
        };
    }

    /** No browser: the user opens the address elsewhere and pastes back where it led. */
    static Browser none() {
        return new Browser() {
            @Override
            public boolean available() {
                return false;
            }

            @Override
            public boolean open(URI uri) {
                return false;
            }
        };
    }
}
