package dev.jsmtp.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CramMd5Test {

    /** RFC 2195 §2, the example exchange. */
    private static final String RFC_CHALLENGE = "<1896.697170952@postoffice.reston.mci.net>";

    @Test
    void answersRfc2195Example() throws IOException {
        CramMd5 cram = new CramMd5("tim", "tanstaaftanstaaf"::toCharArray);

        byte[] response = cram.respond(RFC_CHALLENGE.getBytes(StandardCharsets.US_ASCII));

        assertThat(new String(response, StandardCharsets.US_ASCII)).isEqualTo("tim b913a602c7eda7a495b4e6e7334d3890");
        assertThat(Base64.getEncoder().encodeToString(response))
                .isEqualTo("dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
    }

    @Test
    void hasNoInitialResponse() {
        CramMd5 cram = new CramMd5("tim", "pw"::toCharArray);

        assertThat(cram.initialResponse()).isEmpty();
        assertThat(cram.name()).isEqualTo("CRAM-MD5");
    }

    @Test
    void digestIsLowerCaseHex() throws IOException {
        String response = new String(new CramMd5("u", "p"::toCharArray).respond("<1.2@h>".getBytes(
                StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII);

        assertThat(response).matches("u [0-9a-f]{32}");
    }

    @Test
    void clearsThePasswordCharacters() throws IOException {
        char[] handedOut = "tanstaaftanstaaf".toCharArray();
        new CramMd5("tim", () -> handedOut).respond(RFC_CHALLENGE.getBytes(StandardCharsets.US_ASCII));

        assertThat(handedOut).containsOnly('\0');
    }

    @Test
    void aSecondChallengeIsUnexpected() throws IOException {
        CramMd5 cram = new CramMd5("tim", "pw"::toCharArray);
        cram.respond(new byte[] {'x'});

        assertThatThrownBy(() -> cram.respond(new byte[] {'x'})).isInstanceOf(UnexpectedChallengeException.class);
    }
}
