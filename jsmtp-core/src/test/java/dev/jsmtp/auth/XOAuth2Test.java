package dev.jsmtp.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsmtp.AccessToken;
import dev.jsmtp.TokenProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class XOAuth2Test {

    @Test
    void initialResponseMatchesGooglesDocumentedExample() throws IOException {
        XOAuth2 xoauth = new XOAuth2("someuser@example.com",
                TokenProvider.of("ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"));

        byte[] message = xoauth.initialResponse().orElseThrow();

        assertThat(new String(message, StandardCharsets.US_ASCII)).isEqualTo(
                "user=someuser@example.com\u0001auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\u0001\u0001");
        assertThat(Base64.getEncoder().encodeToString(message)).isEqualTo("dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRo"
                + "PUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==");
    }

    @Test
    void answersTheErrorChallengeWithAnEmptyResponse() throws IOException {
        XOAuth2 xoauth = new XOAuth2("u@example.org", TokenProvider.of("tok"));
        xoauth.initialResponse();

        assertThat(xoauth.respond("{\"status\":\"401\"}".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    @Test
    void remembersTheTokenItSentSoARefusedOneCanBeInvalidated() throws IOException {
        AccessToken token = AccessToken.of("abc");
        XOAuth2 xoauth = new XOAuth2("u@example.org", () -> token);
        assertThat(xoauth.usedToken()).isEmpty();

        xoauth.initialResponse();

        assertThat(xoauth.usedToken()).containsSame(token);
        assertThat(xoauth.usesToken()).isTrue();
        assertThat(xoauth.toString()).doesNotContain("abc");
    }
}
