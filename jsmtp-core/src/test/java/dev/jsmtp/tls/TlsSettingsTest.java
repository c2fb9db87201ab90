package dev.jsmtp.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsmtp.testing.TestCertificates;
import dev.jsmtp.testing.TestCertificates.Identity;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSettingsTest {

    @TempDir
    Path dir;

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END "
                + label + "-----\n";
    }

    @Test
    void defaultsVerifyWithTheJdkTrustStore() {
        TlsSettings defaults = TlsSettings.defaults();

        assertThat(defaults.verifiesCertificates()).isTrue();
        assertThat(defaults.serverName()).isEmpty();
        assertThat(defaults.clientCertificateChain()).isEmpty();
        assertThat(defaults.toString()).contains("JDK default");
    }

    @Test
    void pemBundleWithCommentsBetweenCertificatesIsRead() throws IOException {
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, "# test CA\n" + Files.readString(TestCertificates.caPem())
                + "Bag Attributes: unrelated\n" + Files.readString(TestCertificates.unrelatedCaPem()));

        TlsSettings settings = TlsSettings.builder().trustedCertificates(bundle).build();

        assertThat(settings.verifier().getAcceptedIssuers()).extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactlyInAnyOrder("CN=jsmtp Test CA", "CN=Unrelated Test CA");
    }

    @Test
    void fileWithoutCertificatesIsAClearError() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");

        assertThatThrownBy(() -> TlsSettings.builder().trustedCertificates(empty))
                .isInstanceOf(IOException.class).hasMessageContaining(empty.toString());
    }

    @Test
    void trustChoicesExcludeOneAnother() {
        assertThatThrownBy(() -> TlsSettings.builder().trustAllCertificatesDangerously()
                .trustedCertificates(TestCertificates.caPem()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already chosen");
    }

    @Test
    void serverNameMustBeAName() {
        assertThatThrownBy(() -> TlsSettings.builder().serverName("evil\r\nname"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\\r\\n");
        assertThat(TlsSettings.builder().serverName("mx.example.org").build().serverName()).contains("mx.example.org");
    }

    @Test
    void clientCertificateWithPkcs8EcKeyIsAccepted() throws IOException {
        TlsSettings settings = TlsSettings.builder()
                .clientCertificate(TestCertificates.clientCertificatePem(), TestCertificates.clientKeyPem()).build();

        assertThat(settings.clientCertificateChain()).hasSize(2).first()
                .isEqualTo(TestCertificates.certificate(Identity.CLIENT));
    }

    @Test
    void keyOfAnotherCertificateIsRefused() throws Exception {
        KeyPair other = KeyPairGenerator.getInstance("EC").generateKeyPair();
        Path key = Files.writeString(dir.resolve("other.pem"), pem("PRIVATE KEY", other.getPrivate().getEncoded()));

        assertThatThrownBy(() -> TlsSettings.builder().clientCertificate(TestCertificates.clientCertificatePem(), key))
                .isInstanceOf(IOException.class).hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void pkcs1RsaKeyIsConvertedToTheSameKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey rsa = generator.generateKeyPair().getPrivate();
        byte[] pkcs8 = rsa.getEncoded();
        // PKCS#8 for RSA ends with the PKCS#1 RSAPrivateKey as its octet string: cut the 26-byte header.
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        assertThat(pkcs1[0]).isEqualTo((byte) 0x30);
        Path file = Files.writeString(dir.resolve("rsa.pem"), "some preamble\n" + pem("RSA PRIVATE KEY", pkcs1));

        PrivateKey read = Pem.privateKey(file);

        assertThat(read).isInstanceOf(RSAPrivateCrtKey.class);
        assertThat(read.getEncoded()).isEqualTo(pkcs8);
        assertThat(((RSAPrivateCrtKey) read).getModulus()).isEqualTo(((RSAPrivateCrtKey) rsa).getModulus());
    }

    @Test
    void derLengthsOfEveryFormAreWrittenCorrectly() throws Exception {
        for (int length : new int[] {5, 127, 128, 255, 256, 70_000}) {
            byte[] pkcs8 = Pem.pkcs1ToPkcs8(new byte[length]);
            // Short and long DER length forms: the outer length must cover exactly the octets after it.
            int lengthOctets = (pkcs8[1] & 0x80) == 0 ? 0 : pkcs8[1] & 0x7f;
            BigInteger outer = lengthOctets == 0 ? BigInteger.valueOf(pkcs8[1])
                    : new BigInteger(1, Arrays.copyOfRange(pkcs8, 2, 2 + lengthOctets));
            assertThat(outer.intValue()).as("length %d", length).isEqualTo(pkcs8.length - 2 - lengthOctets);
        }
    }

    @Test
    void sec1EcKeyGetsAnErrorNamingTheOpensslConversion() throws IOException {
        Path file = Files.writeString(dir.resolve("ec.pem"), pem("EC PRIVATE KEY", new byte[] {0x30, 0x00}));

        assertThatThrownBy(() -> Pem.privateKey(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("openssl pkcs8 -topk8");
    }

    @Test
    void encryptedKeyGetsAnErrorNamingTheOpensslConversion() throws IOException {
        Path file = Files.writeString(dir.resolve("enc.pem"), pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00}));

        assertThatThrownBy(() -> Pem.privateKey(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("encrypted").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void fileWithoutAKeyIsAClearError() throws IOException {
        Path file = Files.writeString(dir.resolve("cert-only.pem"), Files.readString(TestCertificates.caPem()),
                StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> Pem.privateKey(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("no PEM private key");
    }
}
