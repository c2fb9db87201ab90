package dev.jsmtp.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.DummySSLServerSocketFactory;
import dev.jsmtp.testing.TestCertificates.Identity;
import dev.jsmtp.tls.TlsUpgrade;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

class TestCertificatesTest {

    private static List<Object> san(int type, String value) {
        return List.of(type, value);
    }

    @Test
    void trustedServerIsSignedByTheTestCaForLocalhostAndLoopback() throws Exception {
        X509Certificate server = TestCertificates.certificate(Identity.TRUSTED);

        server.checkValidity();
        server.verify(TestCertificates.caCertificate().getPublicKey());
        assertThat(server.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                san(2, "localhost"), san(7, "127.0.0.1"), san(7, "0:0:0:0:0:0:0:1"));
        assertThat(TestCertificates.caCertificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void theOtherIdentitiesAreWrongInTheirOwnWay() throws Exception {
        X509Certificate ca = TestCertificates.caCertificate();
        assertThat(TestCertificates.certificate(Identity.WRONG_NAME).getSubjectAlternativeNames())
                .containsExactly(san(2, "wrong.example"));
        assertThatThrownBy(() -> TestCertificates.certificate(Identity.EXPIRED).checkValidity())
                .isInstanceOf(CertificateExpiredException.class);
        TestCertificates.certificate(Identity.EXPIRED).verify(ca.getPublicKey());
        X509Certificate self = TestCertificates.certificate(Identity.SELF_SIGNED);
        assertThat(self.getIssuerX500Principal()).isEqualTo(self.getSubjectX500Principal());
        self.verify(self.getPublicKey());
        assertThat(TestCertificates.certificate(Identity.UNRELATED_CA).getIssuerX500Principal())
                .isNotEqualTo(ca.getSubjectX500Principal());
        assertThat(TestCertificates.certificate(Identity.CLIENT).getExtendedKeyUsage())
                .containsExactly("1.3.6.1.5.5.7.3.2");
    }

    @Test
    void keyStoresHoldOneKeyEntryWithItsChain() throws Exception {
        for (Identity id : Identity.values()) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(TestCertificates.keyStore(id))) {
                store.load(in, TestCertificates.keyStorePassword().toCharArray());
            }
            assertThat(store.size()).as(id.name()).isEqualTo(1);
            String alias = store.aliases().nextElement();
            assertThat(store.isKeyEntry(alias)).isTrue();
            assertThat(store.getCertificate(alias)).isEqualTo(TestCertificates.certificate(id));
            assertThat(store.getCertificateChain(alias)).hasSize(id == Identity.SELF_SIGNED ? 1 : 2);
        }
    }

    @Test
    void pemFilesAreReadableByTheJdk() throws Exception {
        assertThat(Files.readString(TestCertificates.caPem())).startsWith("-----BEGIN CERTIFICATE-----\n");
        assertThat(Files.readString(TestCertificates.clientKeyPem())).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(TestCertificates.clientCertificatePem()))
                .contains("-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----");
        assertThat(TestCertificates.trustingTestCa().verifiesCertificates()).isTrue();
    }

    @Test
    void greenMailPresentsTheTrustedIdentityFromItsKeyStoreProperties() throws Exception {
        // GreenMail reads these properties when its factory is made; a fresh factory leaves its singleton alone.
        String fileProperty = DummySSLServerSocketFactory.GREENMAIL_KEYSTORE_FILE_PROPERTY;
        String passwordProperty = DummySSLServerSocketFactory.GREENMAIL_KEYSTORE_PASSWORD_PROPERTY;
        String oldFile = System.getProperty(fileProperty);
        String oldPassword = System.getProperty(passwordProperty);
        DummySSLServerSocketFactory factory;
        try {
            System.setProperty(fileProperty, TestCertificates.keyStore(Identity.TRUSTED).toString());
            System.setProperty(passwordProperty, TestCertificates.keyStorePassword());
            factory = new DummySSLServerSocketFactory();
        } finally {
            restore(fileProperty, oldFile);
            restore(passwordProperty, oldPassword);
        }
        try (ServerSocket listener = factory.createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    accepted.startHandshake();
                    accepted.getInputStream().read();
                } catch (IOException e) {
                    // the client's close ends the test server
                }
            });
            server.setDaemon(true);
            server.start();
            Socket raw = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            try (SSLSocket tls = TlsUpgrade.handshake(raw, "localhost", listener.getLocalPort(),
                    TestCertificates.trustingTestCa(), Duration.ofSeconds(15))) {
                assertThat(tls.getSession().getPeerCertificates()[0])
                        .isEqualTo(TestCertificates.certificate(Identity.TRUSTED));
            }
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    @Test
    void generatesOncePerJvm() {
        TestCertificates.caPem();
        long start = System.nanoTime();
        assertThat(TestCertificates.keyStore(Identity.TRUSTED)).isSameAs(TestCertificates.keyStore(Identity.TRUSTED));
        TestCertificates.caPem();
        long warmMillis = (System.nanoTime() - start) / 1_000_000;
        // Once made, nothing is made again: no keytool run fits in this budget.
        assertThat(warmMillis).isLessThan(200);
    }
}
