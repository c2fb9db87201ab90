package dev.jsmtp.oauth2;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class BrowserTest {

    @Test
    void aHeadlessMachineHasNoBrowserAndOpeningQuietlyFails() {
        // What a server or an SSH session looks like to AWT; the flow then prints the address instead.
        System.setProperty("java.awt.headless", "true");
        Browser browser = Browser.system();

        assertThat(browser.available()).isFalse();
        assertThat(browser.open(URI.create("https://accounts.google.com/o/oauth2/v2/auth"))).isFalse();
    }
}
