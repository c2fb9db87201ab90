package dev.jsmtp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathTest {

    @Test
    void parsesPlainAddress() {
        Path p = Path.of("bob@example.org");
        assertThat(p.localPart()).isEqualTo("bob");
        assertThat(p.domain()).isEqualTo("example.org");
        assertThat(p.toSmtpString(false)).isEqualTo("bob@example.org");
        assertThat(p.requiresSmtpUtf8()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob@example.org\r\nRCPT TO:<evil@x.org>", "bob@example.org\n", "bob\r@example.org",
            "bob@exam\u0000ple.org", "bob@example.org>", "<bob@example.org", "bob smith@example.org",
            "bob@example.org DSN", "bob@ex ample.org", "bob\t@example.org", "bob@example.org\u0085",
            "bob@example.org\u2028", "b\u007fob@example.org"})
    void refusesInjectionCharacters(String hostile) {
        assertThatThrownBy(() -> Path.of(hostile)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorMessageEscapesControlCharacters() {
        assertThatThrownBy(() -> Path.of("bob@example.org\r\nQUIT"))
                .hasMessageContaining("\\r\\n")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\r").doesNotContain("\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob", "@example.org", "bob@", ".bob@example.org", "bob.@example.org",
            "bo..b@example.org", "bob@-example.org", "bob@example..org", "bob@[1.2.3.4", "\"bob@example.org", "x@[Y>1]", "x@[IP<::1]"})
    void refusesMalformedAddresses(String bad) {
        assertThatThrownBy(() -> Path.of(bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsQuotedLocalPartWithSpaces() {
        Path p = Path.of("\"bob smith\"@example.org");
        assertThat(p.toSmtpString(false)).isEqualTo("\"bob smith\"@example.org");
    }

    @Test
    void acceptsAddressLiterals() {
        assertThat(Path.of("postmaster@[192.0.2.1]").domain()).isEqualTo("[192.0.2.1]");
        assertThat(Path.of("postmaster@[IPv6:2001:db8::1]").domain()).isEqualTo("[IPv6:2001:db8::1]");
    }

    @Test
    void idnDomainBecomesALabelWithoutSmtpUtf8() {
        Path p = Path.of("bob@bücher.example");
        assertThat(p.toSmtpString(false)).isEqualTo("bob@xn--bcher-kva.example");
        assertThat(p.toSmtpString(true)).isEqualTo("bob@bücher.example");
        assertThat(p.requiresSmtpUtf8()).isFalse();
        assertThat(p.isInternational()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob@straße.de", "bob@ς.example", "bob@a\u200db.example", "bob@a\u200cb.example"})
    void refusesDomainsThatIdna2003WouldChange(String address) {
        assertThatThrownBy(() -> Path.of(address))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IDNA2003");
    }

    @Test
    void utf8LocalPartNeedsSmtpUtf8() {
        Path p = Path.of("用户@example.org");
        assertThat(p.requiresSmtpUtf8()).isTrue();
        assertThat(p.toSmtpString(true)).isEqualTo("用户@example.org");
        assertThatThrownBy(() -> p.toSmtpString(false)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void narrowingConversionCharactersAreNotAscii() {
        // U+560A and U+560D truncate to LF and CR in a (char -> byte) narrowing conversion; we never narrow.
        Path p = Path.of("a\u560Ab\u560D@example.org");
        assertThat(p.requiresSmtpUtf8()).isTrue();
        assertThatThrownBy(() -> p.toSmtpString(false)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesOverlongParts() {
        assertThatThrownBy(() -> Path.of("a".repeat(65) + "@example.org")).hasMessageContaining("64");
        assertThatThrownBy(() -> Path.of("a@" + "b".repeat(64) + ".org")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equalityIgnoresDomainCase() {
        assertThat(Path.of("bob@Example.ORG")).isEqualTo(Path.of("bob@example.org"));
        assertThat(Path.of("Bob@example.org")).isNotEqualTo(Path.of("bob@example.org"));
    }
}
