/** jsmtp-oauth2: OAuth2 sign-in (RFC 6749, 7636, 8252, 8628) and refreshing token providers for jsmtp. */
module dev.jsmtp.oauth2 {
    requires transitive dev.jsmtp;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires jdk.httpserver;
    requires static java.desktop;

    exports dev.jsmtp.oauth2;
}
