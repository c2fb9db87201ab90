package dev.jsmtp.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoginTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void sendsNoInitialResponseByDefault() throws IOException {
        assertThat(new Login("tim", "pw"::toCharArray).initialResponse()).isEmpty();
    }

    @Test
    void answersUserNameThenPassword() throws IOException {
        Login login = new Login("tim", "tanstaaf"::toCharArray);

        assertThat(login.respond(ascii("Username:"))).isEqualTo(ascii("tim"));
        assertThat(login.respond(ascii("Password:"))).isEqualTo(ascii("tanstaaf"));
    }

    @Test
    void goesByTheOrderOfChallengesNotTheirWording() throws IOException {
        Login login = new Login("tim", "tanstaaf"::toCharArray);

        // A server that words its prompts oddly (or in another language) still gets user, then password.
        assertThat(login.respond(ascii("Password:"))).isEqualTo(ascii("tim"));
        assertThat(login.respond(ascii("Benutzername:"))).isEqualTo(ascii("tanstaaf"));
    }

    @Test
    void aThirdChallengeIsUnexpected() throws IOException {
        Login login = new Login("tim", "pw"::toCharArray);
        login.respond(new byte[0]);
        login.respond(new byte[0]);

        assertThatThrownBy(() -> login.respond(new byte[0])).isInstanceOf(UnexpectedChallengeException.class);
    }

    @Test
    void canSendTheUserNameAsInitialResponseThenOnlyThePassword() throws IOException {
        Login login = new Login("tim", "pw"::toCharArray, true);

        assertThat(login.initialResponse()).hasValueSatisfying(v -> assertThat(v).isEqualTo(ascii("tim")));
        assertThat(login.respond(ascii("Password:"))).isEqualTo(ascii("pw"));
        assertThatThrownBy(() -> login.respond(new byte[0])).isInstanceOf(UnexpectedChallengeException.class);
    }

    @Test
    void passwordIsUtf8AndItsCharactersAreCleared() throws IOException {
        char[] handedOut = "pässwörd".toCharArray();
        Login login = new Login("tim", () -> handedOut);
        login.respond(new byte[0]);

        assertThat(login.respond(new byte[0])).isEqualTo("pässwörd".getBytes(StandardCharsets.UTF_8));
        assertThat(handedOut).containsOnly('\0');
    }
}
