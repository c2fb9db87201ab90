package dev.jsmtp.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jsmtp.SmtpSecurityException;
import dev.jsmtp.SmtpTimeoutException;
import dev.jsmtp.TlsInfo;
import dev.jsmtp.testing.TestCertificates;
import dev.jsmtp.testing.TestCertificates.Identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

class TlsUpgradeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static Socket connect(InetAddress address, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(address, port), 5_000);
        return socket;
    }

    private static Socket connect(int port) throws IOException {
        return connect(InetAddress.getLoopbackAddress(), port);
    }

    private static String readLine(SSLSocket tls) throws IOException {
        return new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }

    private static SmtpSecurityException refused(Identity identity, TlsSettings settings, String host)
            throws Exception {
        try (LoopbackTlsServer server = new LoopbackTlsServer(identity)) {
            Socket raw = connect(server.port());
            SmtpSecurityException e = catchThrowableOfType(SmtpSecurityException.class,
                    () -> TlsUpgrade.handshake(raw, host, server.port(), settings, TIMEOUT));
            assertThat(e).as("the handshake must be refused").isNotNull();
            assertThat(e.server()).isEqualTo(host + ":" + server.port());
            assertThat(raw.isClosed()).as("a failed handshake closes the connection").isTrue();
            assertThat(server.seen().handshakeCompleted()).isFalse();
            return e;
        }
    }

    @Test
    void trustedServerHandshakesWithTls13AndCarriesData() throws Exception {
        try (LoopbackTlsServer server = new LoopbackTlsServer(Identity.TRUSTED);
             SSLSocket tls = TlsUpgrade.handshake(connect(server.port()), "localhost", server.port(),
                     TestCertificates.trustingTestCa(), TIMEOUT)) {
            TlsInfo info = TlsUpgrade.info(tls, "localhost");

            assertThat(info.protocol()).isEqualTo("TLSv1.3");
            assertThat(info.cipherSuite()).startsWith("TLS_");
            assertThat(info.peerCertificates()).first().isEqualTo(TestCertificates.certificate(Identity.TRUSTED));
            assertThat(info.verifiedName()).isEqualTo("localhost");
            assertThat(readLine(tls)).isEqualTo("220 hello over TLS");
            tls.getOutputStream().write("EHLO client.example\r\n".getBytes(StandardCharsets.US_ASCII));
            tls.close();
            assertThat(server.seen().text()).isEqualTo("EHLO client.example\r\n");
            assertThat(server.seen().serverNames()).containsExactly(new SNIHostName("localhost"));
        }
    }

    @Test
    void enablesOnlyTls13AndTls12() throws Exception {
        try (LoopbackTlsServer server = new LoopbackTlsServer(Identity.TRUSTED);
             SSLSocket tls = TlsUpgrade.handshake(connect(server.port()), "localhost", server.port(),
                     TestCertificates.trustingTestCa(), TIMEOUT)) {
            assertThat(tls.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        }
    }

    @Test
    void fallsBackToTls12WhenTheServerHasNothingNewer() throws Exception {
        try (LoopbackTlsServer server = new LoopbackTlsServer(Identity.TRUSTED, InetAddress.getLoopbackAddress(),
                false, "TLSv1.2");
             SSLSocket tls = TlsUpgrade.handshake(connect(server.port()), "localhost", server.port(),
                     TestCertificates.trustingTestCa(), TIMEOUT)) {
            assertThat(TlsUpgrade.info(tls, "localhost").protocol()).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void certificateFromAnUntrustedCaIsRefused() throws Exception {
        SmtpSecurityException e = refused(Identity.UNRELATED_CA, TestCertificates.trustingTestCa(), "localhost");

        assertThat(e.getMessage()).startsWith("TLS handshake failed: certificate not trusted (PKIX path building"
                + " failed): CN=localhost issued by CN=Unrelated Test CA");
        assertThat(e.isTransient()).isFalse();
    }

    @Test
    void certificateForAnotherNameIsRefused() throws Exception {
        SmtpSecurityException e = refused(Identity.WRONG_NAME, TestCertificates.trustingTestCa(), "localhost");

        assertThat(e.getMessage()).startsWith(
                "TLS handshake failed: host name mismatch: the certificate is for DNS:wrong.example, not localhost");
    }

    @Test
    void expiredCertificateIsRefused() throws Exception {
        SmtpSecurityException e = refused(Identity.EXPIRED, TestCertificates.trustingTestCa(), "localhost");

        assertThat(e.getMessage()).startsWith("TLS handshake failed: certificate expired (not valid after ");
    }

    @Test
    void selfSignedCertificateIsRefused() throws Exception {
        SmtpSecurityException e = refused(Identity.SELF_SIGNED, TestCertificates.trustingTestCa(), "localhost");

        assertThat(e.getMessage()).startsWith("TLS handshake failed: self-signed certificate not trusted");
    }

    @Test
    void addressLiteralIsVerifiedAgainstIpAddressEntriesAndSendsNoSni() throws Exception {
        try (LoopbackTlsServer server = new LoopbackTlsServer(Identity.TRUSTED);
             SSLSocket tls = TlsUpgrade.handshake(connect(server.port()), "127.0.0.1", server.port(),
                     TestCertificates.trustingTestCa(), TIMEOUT)) {
            assertThat(readLine(tls)).startsWith("220");
            tls.close();
            assertThat(server.seen().serverNames()).isEmpty();
        }
    }

    @Test
    void ipv6LoopbackIsVerifiedToo() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (LoopbackTlsServer server = new LoopbackTlsServer(Identity.TRUSTED, v6, false);
             SSLSocket tls = TlsUpgrade.handshake(connect(v6, server.port()), "::1", server.port(),
                     TestCertificates.trustingTestCa(), TIMEOUT)) {
            assertThat(readLine(tls)).startsWith("220");
        }
    }

    @Test
    void serverNameOverridesTheAddressForVerificationAndSni() throws Exception {
        TlsSettings settings = TlsSettings.builder().trustedCertificates(TestCertificates.caPem())
                .serverName("wrong.example").build();
        try (LoopbackTlsServer server = new LoopbackTlsServer(Identity.WRONG_NAME);
             SSLSocket tls = TlsUpgrade.handshake(connect(server.port()), "127.0.0.1", server.port(), settings,
                     TIMEOUT)) {
            assertThat(TlsUpgrade.nameToVerify("127.0.0.1", settings)).isEqualTo("wrong.example");
            assertThat(readLine(tls)).startsWith("220");
            tls.close();
            assertThat(server.seen().serverNames()).containsExactly(new SNIHostName("wrong.example"));
        }
        // Without the override, the same server is refused.
        assertThat(refused(Identity.WRONG_NAME, TestCertificates.trustingTestCa(), "127.0.0.1").getMessage())
                .contains("host name mismatch").contains("not 127.0.0.1");
    }

    @Test
    void nameOutsideSniSyntaxIsNotSentButDoesNotFailTheHandshake() throws Exception {
        TlsSettings settings = TlsSettings.builder().trustAllCertificatesDangerously().build();
        try (LoopbackTlsServer server = new LoopbackTlsServer(Identity.TRUSTED);
             SSLSocket tls = TlsUpgrade.handshake(connect(server.port()), "mail_relay.corp.example", server.port(),
                     settings, TIMEOUT)) {
            assertThat(readLine(tls)).startsWith("220");
            tls.close();
            assertThat(server.seen().serverNames()).isEmpty();
        }
    }

    @Test
    void trustAllAcceptsAnyChainForAnyName() throws Exception {
        TlsSettings settings = TlsSettings.builder().trustAllCertificatesDangerously().build();
        assertThat(settings.verifiesCertificates()).isFalse();
        try (LoopbackTlsServer server = new LoopbackTlsServer(Identity.SELF_SIGNED);
             SSLSocket tls = TlsUpgrade.handshake(connect(server.port()), "mail.elsewhere.example", server.port(),
                     settings, TIMEOUT)) {
            assertThat(readLine(tls)).startsWith("220");
            // The chain is still there to inspect, and a check tells what a verifying client would say.
            CertificateCheck check = TlsUpgrade.check(TlsUpgrade.info(tls, "").peerCertificates(),
                    "mail.elsewhere.example", TestCertificates.trustingTestCa());
            assertThat(check.ok()).isFalse();
            assertThat(check.chainTrusted()).isFalse();
            assertThat(check.nameMatches()).isFalse();
        }
    }

    @Test
    void defaultSettingsUseTheJdkTrustStoreWhichDoesNotKnowTheTestCa() throws Exception {
        SmtpSecurityException e = refused(Identity.TRUSTED, TlsSettings.defaults(), "localhost");

        assertThat(e.getMessage()).contains("certificate not trusted");
    }

    @Test
    void pemTrustReplacesTheDefaultTrustStore() throws Exception {
        TlsSettings unrelatedOnly = TlsSettings.builder().trustedCertificates(TestCertificates.unrelatedCaPem())
                .build();

        assertThat(refused(Identity.TRUSTED, unrelatedOnly, "localhost").getMessage())
                .contains("certificate not trusted");
        assertThat(unrelatedOnly.verifier().getAcceptedIssuers()).extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=Unrelated Test CA");
        assertThat(TlsSettings.defaults().verifier().getAcceptedIssuers()).hasSizeGreaterThan(10);
        try (LoopbackTlsServer server = new LoopbackTlsServer(Identity.UNRELATED_CA);
             SSLSocket tls = TlsUpgrade.handshake(connect(server.port()), "localhost", server.port(), unrelatedOnly,
                     TIMEOUT)) {
            assertThat(readLine(tls)).startsWith("220");
        }
    }

    @Test
    void presentsTheClientCertificateWhenTheServerRequiresOne() throws Exception {
        TlsSettings settings = TlsSettings.builder().trustedCertificates(TestCertificates.caPem())
                .clientCertificate(TestCertificates.clientCertificatePem(), TestCertificates.clientKeyPem()).build();
        try (LoopbackTlsServer server = new LoopbackTlsServer(Identity.TRUSTED, InetAddress.getLoopbackAddress(),
                true);
             SSLSocket tls = TlsUpgrade.handshake(connect(server.port()), "localhost", server.port(), settings,
                     TIMEOUT)) {
            assertThat(readLine(tls)).startsWith("220");
            tls.close();
            assertThat(server.seen().clientChain()).isNotNull();
            assertThat(server.seen().clientChain()[0]).isEqualTo(TestCertificates.certificate(Identity.CLIENT));
        }
    }

    @Test
    void serverThatNeverAnswersTheClientHelloTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket raw = connect(silent.getLocalPort());
            Socket accepted = silent.accept();
            long start = System.nanoTime();

            SmtpTimeoutException e = catchThrowableOfType(SmtpTimeoutException.class, () -> TlsUpgrade.handshake(raw,
                    "localhost", silent.getLocalPort(), TestCertificates.trustingTestCa(), Duration.ofMillis(300)));

            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(e.waitingFor()).isEqualTo("TLS handshake");
            assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
            assertThat(e.getMessage()).startsWith("timed out after 300 ms waiting for TLS handshake");
            assertThat(elapsedMillis).isBetween(250L, 5_000L);
            assertThat(raw.isClosed()).isTrue();
            accepted.close();
        }
    }

    @Test
    void deadlineHoldsAgainstAServerThatDripsBytes() throws Exception {
        try (ServerSocket dripping = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket raw = connect(dripping.getLocalPort());
            Socket accepted = dripping.accept();
            Thread drip = new Thread(() -> {
                // A handshake record header announcing 16 KiB, then one byte every 100 ms: each read succeeds.
                try (OutputStream out = accepted.getOutputStream()) {
                    out.write(new byte[] {0x16, 0x03, 0x03, 0x40, 0x00});
                    for (int i = 0; i < 100; i++) {
                        out.write(0x02);
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // The client hung up, as it should.
                }
            });
            drip.setDaemon(true);
            drip.start();
            long start = System.nanoTime();

            SmtpTimeoutException e = catchThrowableOfType(SmtpTimeoutException.class, () -> TlsUpgrade.handshake(raw,
                    "localhost", dripping.getLocalPort(), TestCertificates.trustingTestCa(), Duration.ofMillis(700)));

            assertThat(e).isNotNull();
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000L);
            accepted.close();
        }
    }

    @Test
    void plainTextServerOnAnImplicitTlsConnectionIsNamedAsSuch() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket raw = connect(plain.getLocalPort());
            try (Socket accepted = plain.accept()) {
                accepted.getOutputStream().write("220 mx.example.org ESMTP ready\r\n".getBytes(
                        StandardCharsets.US_ASCII));

                assertThatThrownBy(() -> TlsUpgrade.handshake(raw, "localhost", plain.getLocalPort(),
                        TestCertificates.trustingTestCa(), TIMEOUT))
                        .isInstanceOf(SmtpSecurityException.class)
                        .hasMessageStartingWith("TLS handshake failed: the server did not answer in TLS");
            }
        }
    }

    @Test
    void noApplicationByteIsWrittenOverAFailedSession() throws Exception {
        try (LoopbackTlsServer server = new LoopbackTlsServer(Identity.UNRELATED_CA)) {
            Socket raw = connect(server.port());

            assertThatThrownBy(() -> TlsUpgrade.handshake(raw, "localhost", server.port(),
                    TestCertificates.trustingTestCa(), TIMEOUT)).isInstanceOf(SmtpSecurityException.class);
            // A careless caller that goes on writing cannot reach the server.
            assertThatThrownBy(() -> raw.getOutputStream().write("AUTH PLAIN secret\r\n".getBytes(
                    StandardCharsets.US_ASCII))).isInstanceOf(IOException.class);

            assertThat(server.seen().handshakeCompleted()).isFalse();
            assertThat(server.seen().applicationBytes()).isEmpty();
        }
    }

    @Test
    void namesAreNormalisedForVerification() {
        TlsSettings defaults = TlsSettings.defaults();
        assertThat(TlsUpgrade.nameToVerify("Mail.Example.ORG.", defaults)).isEqualTo("mail.example.org");
        assertThat(TlsUpgrade.nameToVerify("bücher.example", defaults)).isEqualTo("xn--bcher-kva.example");
        assertThat(TlsUpgrade.nameToVerify("[::1]", defaults)).isEqualTo("::1");
        assertThat(TlsUpgrade.nameToVerify("192.0.2.1", defaults)).isEqualTo("192.0.2.1");
        assertThat(List.of(TlsUpgrade.PROTOCOLS)).containsExactly("TLSv1.3", "TLSv1.2");
    }
}
