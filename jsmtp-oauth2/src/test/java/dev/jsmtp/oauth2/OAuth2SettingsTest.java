package dev.jsmtp.oauth2;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OAuth2SettingsTest {

    private static Map<String, String> keys(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        // Keys of the account that are not OAuth2's are ignored.
        m.put("host", "smtp.gmail.com");
        return m;
    }

    @Test
    void googleUsesItsEndpointsAndTheFullMailScope() throws IOException {
        OAuth2Settings s = OAuth2Settings.fromProperties(keys("oauth2-provider", "google",
                "oauth2-client-id", "123.apps.googleusercontent.com", "oauth2-client-secret", "GOCSPX-x"));

        assertThat(s.provider().authorizationEndpoint())
                .contains(URI.create("https://accounts.google.com/o/oauth2/v2/auth"));
        assertThat(s.provider().tokenEndpoint()).isEqualTo(URI.create("https://oauth2.googleapis.com/token"));
        assertThat(s.provider().deviceAuthorizationEndpoint()).isEmpty();
        assertThat(s.scopes()).containsExactly("https://mail.google.com/");
        assertThat(s.provider().authorizationParameters()).containsEntry("access_type", "offline");
        assertThat(s.clientSecret()).contains("GOCSPX-x");
        assertThat(s.flow()).isEqualTo(OAuth2Settings.Flow.AUTO);
        assertThat(s.toString()).doesNotContain("GOCSPX-x");
    }

    @Test
    void microsoftUsesTheTenantInEveryEndpoint() throws IOException {
        OAuth2Settings common = OAuth2Settings.fromProperties(keys("oauth2-provider", "microsoft",
                "oauth2-client-id", "cid"));
        OAuth2Settings tenant = OAuth2Settings.fromProperties(keys("oauth2-provider", "Microsoft",
                "oauth2-client-id", "cid", "oauth2-tenant", "contoso.onmicrosoft.com", "oauth2-flow", "device"));

        assertThat(common.provider().tokenEndpoint())
                .isEqualTo(URI.create("https://login.microsoftonline.com/common/oauth2/v2.0/token"));
        assertThat(tenant.provider().authorizationEndpoint()).contains(
                URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize"));
        assertThat(tenant.provider().deviceAuthorizationEndpoint()).contains(
                URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode"));
        assertThat(tenant.scopes()).containsExactly("https://outlook.office.com/SMTP.Send", "offline_access");
        assertThat(tenant.flow()).isEqualTo(OAuth2Settings.Flow.DEVICE);
        assertThat(tenant.clientSecret()).isEmpty();
    }

    @Test
    void microsoftAppOnlyNeedsASecretAndTheOrganisationsTenant() throws IOException {
        OAuth2Settings s = OAuth2Settings.fromProperties(keys("oauth2-provider", "microsoft-app",
                "oauth2-client-id", "cid", "oauth2-client-secret", "sec",
                "oauth2-tenant", "11111111-2222-3333-4444-555555555555"));
        assertThat(s.provider().grant()).isEqualTo(OAuth2Provider.Grant.CLIENT_CREDENTIALS);
        assertThat(s.scopes()).containsExactly("https://outlook.office365.com/.default");

        assertThatThrownBy(() -> OAuth2Settings.fromProperties(keys("oauth2-provider", "microsoft-app",
                "oauth2-client-id", "cid", "oauth2-client-secret", "sec")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant");
        assertThatThrownBy(() -> OAuth2Settings.fromProperties(keys("oauth2-provider", "microsoft-app",
                "oauth2-client-id", "cid", "oauth2-tenant", "contoso.com")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("oauth2-client-secret");
    }

    @Test
    void everyEndpointAndTheScopeCanBeOverridden() throws IOException {
        OAuth2Settings s = OAuth2Settings.fromProperties(keys("oauth2-provider", "google", "oauth2-client-id", "c",
                "oauth2-auth-url", "https://sso.example.org/auth", "oauth2-token-url", "https://sso.example.org/token",
                "oauth2-device-url", "https://sso.example.org/device", "oauth2-scope", " a  b ",
                "oauth2-redirect-port", "8765"));

        assertThat(s.provider().authorizationEndpoint()).contains(URI.create("https://sso.example.org/auth"));
        assertThat(s.provider().tokenEndpoint()).isEqualTo(URI.create("https://sso.example.org/token"));
        assertThat(s.provider().deviceAuthorizationEndpoint()).contains(URI.create("https://sso.example.org/device"));
        assertThat(s.scopes()).containsExactly("a", "b");
        assertThat(s.redirectPort()).isEqualTo(OptionalInt.of(8765));
    }

    @Test
    void theSecretCommandIsRunAndItsFirstLineKept() throws IOException {
        OAuth2Settings s = OAuth2Settings.fromProperties(keys("oauth2-provider", "google", "oauth2-client-id", "c",
                "oauth2-client-secret-cmd", "printf 'from-cmd\\nsecond line\\n'"));
        assertThat(s.clientSecret()).contains("from-cmd");

        assertThatThrownBy(() -> OAuth2Settings.fromProperties(keys("oauth2-provider", "google",
                "oauth2-client-id", "c", "oauth2-client-secret-cmd", "echo nope >&2; exit 4")))
                .isInstanceOf(IOException.class).hasMessage("oauth2-client-secret-cmd exited with status 4: nope");
    }

    @Test
    void mistakesNameTheKey() {
        assertThatThrownBy(() -> OAuth2Settings.fromProperties(keys("oauth2-client-id", "c")))
                .hasMessage("missing oauth2-provider");
        assertThatThrownBy(() -> OAuth2Settings.fromProperties(keys("oauth2-provider", "yahoo",
                "oauth2-client-id", "c"))).hasMessageContaining("oauth2-provider must be google, microsoft");
        assertThatThrownBy(() -> OAuth2Settings.fromProperties(keys("oauth2-provider", "google")))
                .hasMessage("missing oauth2-client-id");
        assertThatThrownBy(() -> OAuth2Settings.fromProperties(keys("oauth2-provider", "custom",
                "oauth2-client-id", "c"))).hasMessage("missing oauth2-token-url");
        assertThatThrownBy(() -> OAuth2Settings.fromProperties(keys("oauth2-provider", "google",
                "oauth2-client-id", "c", "oauth2-redirect-port", "http"))).hasMessageContaining("oauth2-redirect-port");
        assertThatThrownBy(() -> OAuth2Settings.fromProperties(keys("oauth2-provider", "microsoft",
                "oauth2-client-id", "c", "oauth2-tenant", "../../evil"))).hasMessageContaining("tenant");
        assertThatThrownBy(() -> OAuth2Settings.fromProperties(keys("oauth2-provider", "google",
                "oauth2-client-id", "c", "oauth2-client-secret", "s", "oauth2-client-secret-cmd", "echo s")))
                .hasMessageContaining("not both");
    }

    @Test
    void secretsAndCodesNeverTravelOverPlainHttpToAnotherMachine() {
        assertThatThrownBy(() -> OAuth2Provider.custom(URI.create("http://sso.example.org/token")))
                .hasMessageContaining("must be an https URL");
        assertThat(OAuth2Provider.custom(URI.create("http://127.0.0.1:8080/token")).tokenEndpoint().getPort())
                .isEqualTo(8080);
        assertThatThrownBy(() -> OAuth2Provider.google().withAuthorizationEndpoint(URI.create("ftp://x/y")))
                .hasMessageContaining("authorization endpoint must be an https URL");
    }

    @Test
    void settingsCanBeBuiltInCode() {
        OAuth2Settings s = OAuth2Settings.of(OAuth2Provider.microsoft("organizations"), "cid", Optional.empty());
        assertThat(s.scopes()).isEqualTo(List.of("https://outlook.office.com/SMTP.Send", "offline_access"));
    }
}
