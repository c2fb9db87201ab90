package dev.jsmtp.auth;

import static dev.jsmtp.auth.AuthenticatorTest.GOOGLE_ERROR;
import static dev.jsmtp.auth.AuthenticatorTest.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.jsmtp.Reply;
import dev.jsmtp.TokenProvider;
import dev.jsmtp.auth.AuthenticatorTest.FakeChannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The password and the token never show in a transcript or an exception, in any encoding we put them in. */
class AuthSecrecyTest {

    private static final String USER = "ann@example.org";
    private static final String PASSWORD = "S3cr3t-Pa55w0rd";
    private static final String TOKEN = "ya29.SECRET-token_value";

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Every form a secret could leak in: plain, hex, and base64 at each of the three byte alignments. */
    private static List<String> forms(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        List<String> forms = new ArrayList<>(List.of(secret, HexFormat.of().formatHex(bytes),
                HexFormat.of().withUpperCase().formatHex(bytes)));
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[shift + bytes.length];
            System.arraycopy(bytes, 0, shifted, shift, bytes.length);
            String encoded = b64(shifted);
            // Drop the quantum that mixes in the filler and the padded last one: what is left encodes only the secret.
            forms.add(encoded.substring(4, encoded.length() - 4));
        }
        return forms;
    }

    /** Windows of a whole SASL message's base64 (the PLAIN blob, the XOAUTH2 string) from its secret part on. */
    private static List<String> windows(String message, String secret) {
        String encoded = b64(message.getBytes(StandardCharsets.UTF_8));
        int secretStart = message.getBytes(StandardCharsets.UTF_8).length
                - (secret + message.substring(message.indexOf(secret) + secret.length()))
                .getBytes(StandardCharsets.UTF_8).length;
        List<String> windows = new ArrayList<>();
        for (int i = (secretStart + 2) / 3 * 4; i + 12 <= encoded.length(); i += 4) {
            windows.add(encoded.substring(i, i + 12));
        }
        return windows;
    }

    private static final List<String> FORBIDDEN = new ArrayList<>();

    static {
        FORBIDDEN.addAll(forms(PASSWORD));
        FORBIDDEN.addAll(forms(TOKEN));
        FORBIDDEN.addAll(windows("\0" + USER + "\0" + PASSWORD, PASSWORD));
        FORBIDDEN.addAll(windows("user=" + USER + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001", TOKEN));
    }

    private static List<String> texts(FakeChannel channel, Throwable failure) {
        List<String> texts = new ArrayList<>(channel.transcript);
        List<Throwable> pending = new ArrayList<>(List.of(failure));
        while (!pending.isEmpty()) {
            Throwable t = pending.remove(0);
            texts.add(String.valueOf(t.getMessage()));
            texts.add(t.toString());
            if (t.getCause() != null) {
                pending.add(t.getCause());
            }
            pending.addAll(List.of(t.getSuppressed()));
        }
        return texts;
    }

    private static void assertNoSecret(SaslMechanism mechanism, Reply... replies) {
        assertNoSecret(true, mechanism, replies);
    }

    private static void assertNoSecret(boolean secretOnTheWire, SaslMechanism mechanism, Reply... replies) {
        FakeChannel channel = new FakeChannel(replies);

        Throwable failure = catchThrowable(() -> Authenticator.authenticate(channel, mechanism, false, "h:587"));

        assertThat(failure).as("the exchange must fail for this test to look at its message").isNotNull();
        List<String> texts = texts(channel, failure);
        for (String text : texts) {
            for (String forbidden : FORBIDDEN) {
                assertThat(text).as("transcript or message leaks a secret").doesNotContain(forbidden);
            }
        }
        if (secretOnTheWire) {
            // The client did send the secret: the checks above looked at the masked side of real traffic.
            assertThat(channel.lines).anySatisfy(line -> assertThat(FORBIDDEN).anyMatch(line::contains));
        }
    }

    private static Supplier<char[]> password() {
        return PASSWORD::toCharArray;
    }

    @Test
    void plainRefusedEvenWhenTheServerEchoesTheBlob() {
        String blob = b64(("\0" + USER + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertNoSecret(new Plain(USER, password()::get), reply(535, "5.7.8 Bad credentials for " + blob));
    }

    @Test
    void loginRefusedEvenWhenTheServerEchoesThePassword() {
        String echoed = b64(PASSWORD.getBytes(StandardCharsets.UTF_8));
        assertNoSecret(new Login(USER, password()::get), reply(334, "VXNlcm5hbWU6"), reply(334, "UGFzc3dvcmQ6"),
                reply(535, "5.7.8 Rejected " + echoed));
    }

    @Test
    void loginCancelledOnAMalformedChallengeAfterThePassword() {
        assertNoSecret(new Login(USER, password()::get), reply(334, "VXNlcm5hbWU6"), reply(334, "UGFzc3dvcmQ6"),
                reply(334, "%%%"), reply(501, "cancelled"));
    }

    @Test
    void cramMd5Refused() {
        assertNoSecret(false, new CramMd5(USER, password()::get), reply(334, "PDEuMkBoPg=="), reply(535, "5.7.8 No"));
    }

    @Test
    void xoauth2RefusedWithAnErrorChallengeAndAnEcho() {
        String echoed = b64(("user=" + USER + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001")
                .getBytes(StandardCharsets.UTF_8));
        assertNoSecret(new XOAuth2(USER, TokenProvider.of(TOKEN)), reply(334, GOOGLE_ERROR),
                reply(535, "5.7.8 Not accepted: " + echoed));
    }

    @Test
    void longXoauth2TokenSentAfterTheFirstChallengeAndRefused() {
        String longToken = TOKEN + "x".repeat(500);
        assertNoSecret(new XOAuth2(USER, TokenProvider.of(longToken)), reply(334, ""), reply(334, GOOGLE_ERROR),
                reply(535, "5.7.8 Not accepted"));
    }

    @Test
    void oauthbearerRefused() {
        assertNoSecret(new OAuthBearer(USER, TokenProvider.of(TOKEN), "smtp.example.org", 587),
                reply(334, GOOGLE_ERROR), reply(535, "5.7.8 Not accepted"));
    }
}
