package dev.jsmtp.oauth2;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PkceTest {

    @Test
    void matchesTheExampleOfRfc7636AppendixB() {
        assertThat(Pkce.challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void generatedVerifiersAreLongUnreservedAndFresh() {
        Set<String> seen = new HashSet<>();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 100; i++) {
            Pkce pkce = Pkce.generate(random);
            assertThat(pkce.verifier()).hasSize(43).matches("[A-Za-z0-9_-]+");
            assertThat(pkce.challenge()).isEqualTo(Pkce.challengeOf(pkce.verifier()));
            assertThat(seen.add(pkce.verifier())).isTrue();
        }
    }

    @Test
    void refusesVerifiersRfc7636Forbids() {
        assertThatThrownBy(() -> new Pkce("short", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pkce("a".repeat(42) + "+", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Pkce("a".repeat(43), "x").toString()).doesNotContain("aaaa");
    }
}
