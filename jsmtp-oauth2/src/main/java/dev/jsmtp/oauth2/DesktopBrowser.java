package dev.jsmtp.oauth2;

import java.net.URI;

/** The only class that touches AWT, so that headless runs and runtimes without java.desktop never load it. */
final class DesktopBrowser {

    private DesktopBrowser() {
    }

    static boolean available() {
        try {
            return !java.awt.GraphicsEnvironment.isHeadless() && java.awt.Desktop.isDesktopSupported()
                    && java.awt.Desktop.getDesktop().isSupported(java.awt.Desktop.Action.BROWSE);
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    static boolean open(URI uri) {
        if (!available()) {
            return false;
        }
        try {
            java.awt.Desktop.getDesktop().browse(uri);
            return true;
        } catch (Exception | LinkageError e) {
            return false;
        }
    }
}
