package dev.jsmtp.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsmtp.testing.TestCertificates;
import dev.jsmtp.testing.TestCertificates.Identity;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateCheckTest {

    private static List<X509Certificate> chain(Identity identity) {
        return List.of(TestCertificates.certificate(identity), TestCertificates.caCertificate());
    }

    @Test
    void trustedChainForItsNamePasses() throws IOException {
        CertificateCheck check = TlsUpgrade.check(chain(Identity.TRUSTED), "localhost",
                TestCertificates.trustingTestCa());

        assertThat(check.ok()).isTrue();
        assertThat(check.problems()).isEmpty();
        assertThat(TlsUpgrade.check(chain(Identity.TRUSTED), "::1", TestCertificates.trustingTestCa()).ok()).isTrue();
        assertThat(TlsUpgrade.check(chain(Identity.TRUSTED), "127.0.0.1", TestCertificates.trustingTestCa()).ok())
                .isTrue();
    }

    @Test
    void wrongNameIsReportedButTheChainIsTrusted() throws IOException {
        CertificateCheck check = TlsUpgrade.check(chain(Identity.TRUSTED), "mx.example.org",
                TestCertificates.trustingTestCa());

        assertThat(check.chainTrusted()).isTrue();
        assertThat(check.nameMatches()).isFalse();
        assertThat(check.problems()).containsExactly("host name mismatch: the certificate is for DNS:localhost,"
                + " IP:127.0.0.1, IP:0:0:0:0:0:0:0:1, not mx.example.org");
    }

    @Test
    void expiredChainIsReportedOnce() throws IOException {
        CertificateCheck check = TlsUpgrade.check(chain(Identity.EXPIRED), "localhost",
                TestCertificates.trustingTestCa());

        assertThat(check.currentlyValid()).isFalse();
        assertThat(check.chainTrusted()).isFalse();
        assertThat(check.problems()).singleElement().asString().startsWith("certificate expired on ");
    }

    @Test
    void untrustedAndSelfSignedChainsAreReported() throws IOException {
        CertificateCheck unrelated = TlsUpgrade.check(List.of(TestCertificates.certificate(Identity.UNRELATED_CA)),
                "localhost", TestCertificates.trustingTestCa());
        CertificateCheck self = TlsUpgrade.check(List.of(TestCertificates.certificate(Identity.SELF_SIGNED)),
                "localhost", TestCertificates.trustingTestCa());

        assertThat(unrelated.chainTrusted()).isFalse();
        assertThat(unrelated.problems()).singleElement().asString().startsWith("certificate not trusted");
        assertThat(self.problems()).singleElement().asString().startsWith("self-signed certificate not trusted");
    }

    @Test
    void wildcardCoversExactlyOneLeftMostLabel() {
        // RFC 6125 §6.4.3, checked through the matcher the check uses.
        assertThat(dnsMatch("*.example.org", "mx.example.org")).isTrue();
        assertThat(dnsMatch("*.example.org", "a.mx.example.org")).isFalse();
        assertThat(dnsMatch("*.example.org", "example.org")).isFalse();
        assertThat(dnsMatch("*.org", "example.org")).isFalse();
        assertThat(dnsMatch("MX.Example.org", "mx.example.org")).isTrue();
    }

    private static boolean dnsMatch(String pattern, String name) {
        return HostnameMatch.dnsMatches(pattern, name);
    }
}
