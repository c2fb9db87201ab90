package dev.jsmtp.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsmtp.Credentials;
import dev.jsmtp.SmtpAuthenticationException;
import dev.jsmtp.TokenProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SaslMechanismsTest {

    private static final Credentials PASSWORD = Credentials.password("ann@example.org", "pw");
    private static final Credentials TOKEN = Credentials.oauth2("ann@example.org", TokenProvider.of("tok"));

    private static Set<String> offer(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }

    private static SaslMechanism choose(Credentials c, Set<String> offered) throws IOException {
        return SaslMechanisms.choose(c, offered, Optional.empty(), "smtp.example.org", 587);
    }

    @Test
    void passwordPrefersPlainThenLoginThenCramMd5() throws IOException {
        assertThat(choose(PASSWORD, offer("CRAM-MD5", "LOGIN", "PLAIN"))).isInstanceOf(Plain.class);
        assertThat(choose(PASSWORD, offer("CRAM-MD5", "LOGIN"))).isInstanceOf(Login.class);
        assertThat(choose(PASSWORD, offer("CRAM-MD5", "SCRAM-SHA-256"))).isInstanceOf(CramMd5.class);
    }

    @Test
    void microsoft365OfferOfLoginAndXoauth2PicksLoginForAPassword() throws IOException {
        assertThat(choose(PASSWORD, offer("LOGIN", "XOAUTH2"))).isInstanceOf(Login.class);
    }

    @Test
    void tokenPrefersXoauth2ThenOauthbearer() throws IOException {
        assertThat(choose(TOKEN, offer("OAUTHBEARER", "XOAUTH2", "PLAIN"))).isInstanceOf(XOAuth2.class);
        SaslMechanism bearer = choose(TOKEN, offer("PLAIN", "OAUTHBEARER"));
        assertThat(bearer).isInstanceOf(OAuthBearer.class);
        // The host and port the caller connected to go into the OAUTHBEARER message.
        assertThat(new String(bearer.initialResponse().orElseThrow(), StandardCharsets.US_ASCII))
                .contains("\u0001host=smtp.example.org\u0001port=587\u0001");
    }

    @Test
    void offeredNamesMatchWhateverTheirCase() throws IOException {
        assertThat(choose(PASSWORD, offer("login"))).isInstanceOf(Login.class);
    }

    @Test
    void forcedMechanismIsUsedWhenOffered() throws IOException {
        SaslMechanism chosen = SaslMechanisms.choose(PASSWORD, offer("PLAIN", "LOGIN"), Optional.of("login"),
                "h", 25);

        assertThat(chosen).isInstanceOf(Login.class);
    }

    @Test
    void forcedMechanismNotOfferedIsAnErrorNamingWhatIs() {
        assertThatThrownBy(() -> SaslMechanisms.choose(PASSWORD, offer("LOGIN", "XOAUTH2"), Optional.of("PLAIN"),
                "smtp.office365.com", 587))
                .isInstanceOfSatisfying(SmtpAuthenticationException.class, e -> {
                    assertThat(e.mechanism()).isEqualTo("PLAIN");
                    assertThat(e.reply()).isEmpty();
                    assertThat(e.server()).isEqualTo("smtp.office365.com:587");
                })
                .hasMessageContaining("AUTH PLAIN").hasMessageContaining("offers only LOGIN XOAUTH2");
    }

    @Test
    void forcedMechanismMustBeKnownAndFitTheCredentials() {
        assertThatThrownBy(() -> SaslMechanisms.choose(PASSWORD, offer("GSSAPI"), Optional.of("GSSAPI"), "h", 25))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GSSAPI");
        assertThatThrownBy(() -> SaslMechanisms.choose(PASSWORD, offer("XOAUTH2"), Optional.of("XOAUTH2"), "h", 25))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OAuth2 token");
        assertThatThrownBy(() -> SaslMechanisms.choose(TOKEN, offer("PLAIN"), Optional.of("PLAIN"), "h", 25))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password");
    }

    @Test
    void nothingUsableOfferedIsAClearError() {
        assertThatThrownBy(() -> choose(TOKEN, offer("PLAIN", "LOGIN")))
                .isInstanceOf(SmtpAuthenticationException.class)
                .hasMessageContaining("OAuth2").hasMessageContaining("offers only PLAIN LOGIN");
        assertThatThrownBy(() -> choose(PASSWORD, offer("XOAUTH2", "GSSAPI")))
                .isInstanceOf(SmtpAuthenticationException.class).hasMessageContaining("offers only XOAUTH2 GSSAPI");
        assertThatThrownBy(() -> choose(PASSWORD, offer()))
                .isInstanceOf(SmtpAuthenticationException.class).hasMessageContaining("offers no AUTH mechanism");
    }

    @Test
    void hostileOfferedNamesAreEscapedInTheError() {
        assertThatThrownBy(() -> choose(PASSWORD, offer("X\r\nInjected: yes")))
                .hasMessageContaining("X\\r\\nInjected: yes").hasMessageNotContaining("\r");
    }
}
