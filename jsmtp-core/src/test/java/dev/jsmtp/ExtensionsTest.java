package dev.jsmtp;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ExtensionsTest {

    private static Extensions parse(String... lines) {
        return Extensions.parse(new Reply(250, Optional.empty(), List.of(lines)));
    }

    @Test
    void parsesKnownKeywordsWithParameters() {
        Extensions e = parse("mx.example.org Hello", "PIPELINING", "SIZE 35882577", "8BITMIME", "CHUNKING",
                "SMTPUTF8", "DSN", "ENHANCEDSTATUSCODES", "STARTTLS", "REQUIRETLS", "BINARYMIME",
                "AUTH LOGIN PLAIN XOAUTH2");
        for (Extension x : Extension.values()) {
            assertThat(e.supports(x)).as(x.keyword()).isTrue();
        }
        assertThat(e.sizeLimit()).hasValue(35882577);
        assertThat(e.authMechanisms()).containsExactly("LOGIN", "PLAIN", "XOAUTH2");
    }

    @Test
    void mergesLegacyAuthEqualsForm() {
        Extensions e = parse("mx", "AUTH=LOGIN PLAIN", "AUTH LOGIN CRAM-MD5");
        assertThat(e.authMechanisms()).containsExactly("LOGIN", "PLAIN", "CRAM-MD5");
    }

    @Test
    void keepsUnknownKeywordsAndIgnoresGarbage() {
        Extensions e = parse("mx", "X-EXPS GSSAPI NTLM", "VRFY", "  ", "<bad>", "ÜBER");
        assertThat(e.supports("x-exps")).isTrue();
        assertThat(e.parameters("X-EXPS")).containsExactly("GSSAPI", "NTLM");
        assertThat(e.keywords()).containsOnlyKeys("X-EXPS", "VRFY");
    }

    @Test
    void sizeWithoutOrWithZeroLimitHasNoLimit() {
        assertThat(parse("mx", "SIZE").sizeLimit()).isEmpty();
        assertThat(parse("mx", "SIZE 0").sizeLimit()).isEmpty();
        assertThat(parse("mx", "SIZE lots").sizeLimit()).isEmpty();
        assertThat(parse("mx", "SIZE").supports(Extension.SIZE)).isTrue();
    }

    @Test
    void heloHasNoExtensions() {
        assertThat(Extensions.NONE.supports(Extension.PIPELINING)).isFalse();
        assertThat(parse("mx only").keywords()).isEmpty();
    }
}
