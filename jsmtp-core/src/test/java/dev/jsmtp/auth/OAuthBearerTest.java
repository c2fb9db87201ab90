package dev.jsmtp.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsmtp.TokenProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class OAuthBearerTest {

    @Test
    void initialResponseMatchesRfc7628Example() throws IOException {
        OAuthBearer bearer = new OAuthBearer("user@example.com",
                TokenProvider.of("vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg=="), "server.example.com", 143);

        byte[] message = bearer.initialResponse().orElseThrow();

        assertThat(new String(message, StandardCharsets.US_ASCII)).isEqualTo("n,a=user@example.com,\u0001"
                + "host=server.example.com\u0001port=143\u0001auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg=="
                + "\u0001\u0001");
        // RFC 7628 §4.1.
        assertThat(Base64.getEncoder().encodeToString(message)).isEqualTo("bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2Vy"
                + "dmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZ"
                + "Mjl0Q2c9PQEB");
    }

    @Test
    void answersTheErrorChallengeWithASingleCtrlA() throws IOException {
        OAuthBearer bearer = new OAuthBearer("u", TokenProvider.of("t"), "h", 587);
        bearer.initialResponse();

        byte[] answer = bearer.respond("{\"status\":\"invalid_token\"}".getBytes(StandardCharsets.US_ASCII));

        assertThat(answer).containsExactly(0x01);
        assertThat(Base64.getEncoder().encodeToString(answer)).isEqualTo("AQ==");
    }

    @Test
    void escapesCommaAndEqualsInTheGs2UserName() throws IOException {
        OAuthBearer bearer = new OAuthBearer("a,b=c", TokenProvider.of("t"), "h", 25);

        assertThat(new String(bearer.initialResponse().orElseThrow(), StandardCharsets.US_ASCII))
                .startsWith("n,a=a=2Cb=3Dc,\u0001");
    }

    @Test
    void remembersTheTokenItSent() throws IOException {
        OAuthBearer bearer = new OAuthBearer("u", TokenProvider.of("tok"), "h", 465);
        bearer.initialResponse();

        assertThat(bearer.usedToken()).hasValueSatisfying(t -> assertThat(t.value()).isEqualTo("tok"));
        assertThat(bearer.usesToken()).isTrue();
    }
}
