/** jsmtp-oauth2: OAuth2 sign-in (RFC 6749, 7636, 8252, 8628) and refreshing token providers for jsmtp. */
@SuppressWarnings("module") // "oauth2" ends in a digit, as the package it names does
module dev.jsmtp.oauth2 {
    requires transitive dev.jsmtp;
    requires transitive java.net.http;
    requires com.fasterxml.jackson.databind;
    requires jdk.httpserver;
    requires static java.desktop;

    exports dev.jsmtp.oauth2;
}
