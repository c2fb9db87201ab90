package dev.jsmtp.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsmtp.Credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PlainTest {

    @Test
    void initialResponseIsEmptyAuthzidNulUserNulPassword() throws IOException {
        Plain plain = new Plain("tim", "tanstaaftanstaaf"::toCharArray);

        byte[] message = plain.initialResponse().orElseThrow();

        assertThat(message).isEqualTo("\0tim\0tanstaaftanstaaf".getBytes(StandardCharsets.US_ASCII));
        assertThat(Base64.getEncoder().encodeToString(message)).isEqualTo("AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
        assertThat(plain.name()).isEqualTo("PLAIN");
        assertThat(plain.usesToken()).isFalse();
    }

    @Test
    void userAndPasswordAreUtf8() throws IOException {
        Plain plain = new Plain("jürgen@exämple.org", "pässwörd€"::toCharArray);

        assertThat(plain.initialResponse().orElseThrow())
                .isEqualTo("\0jürgen@exämple.org\0pässwörd€".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void clearsThePasswordCharactersAfterUse() throws IOException {
        char[] handedOut = "secret".toCharArray();
        Plain plain = new Plain("tim", () -> handedOut);

        plain.initialResponse();

        assertThat(handedOut).containsOnly('\0');
    }

    @Test
    void buildsFromPasswordCredentials() throws IOException {
        Credentials.Password credentials = (Credentials.Password) Credentials.password("ann", "pw");

        assertThat(Plain.of(credentials).initialResponse().orElseThrow())
                .isEqualTo("\0ann\0pw".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void refusesAPasswordWithNulWhichWouldShiftTheFields() {
        Plain plain = new Plain("tim", "a\0b"::toCharArray);

        assertThatThrownBy(plain::initialResponse).isInstanceOf(IOException.class).hasMessageContaining("NUL")
                .hasMessageNotContaining("a\0b");
    }

    @Test
    void aChallengeAfterTheResponseIsUnexpected() throws IOException {
        Plain plain = new Plain("tim", "pw"::toCharArray);
        plain.initialResponse();

        assertThatThrownBy(() -> plain.respond(new byte[0])).isInstanceOf(UnexpectedChallengeException.class);
    }
}
