package dev.jsmtp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * A key pair and self-signed X.509 certificate (RFC 5280) for {@code localhost} and {@code 127.0.0.1}, made with
 * the JDK's keytool into a PKCS#12 file for one run: the demo server's and the CDS training run's TLS identity.
 */
record ThrowawayCertificate(Path keyStoreFile, String password, KeyStore keyStore, Path pemFile) {

    static final String ALIAS = "jsmtp-demo";

    static ThrowawayCertificate make(Path directory) throws IOException, GeneralSecurityException {
        Path keyStoreFile = directory.resolve("server.p12");
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        ProcessBuilder pb = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStoreFile.toString(), "-storepass", password, "-keypass", password);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool made a certificate");
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            keys.load(in, password.toCharArray());
        }
        Path pem = directory.resolve("demo-ca.pem");
        try (Writer w = Files.newBufferedWriter(pem, StandardCharsets.US_ASCII)) {
            w.write("-----BEGIN CERTIFICATE-----\n");
            w.write(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate(keys).getEncoded()));
            w.write("\n-----END CERTIFICATE-----\n");
        }
        return new ThrowawayCertificate(keyStoreFile, password, keys, pem);
    }

    private static Certificate certificate(KeyStore keys) throws GeneralSecurityException {
        return keys.getCertificate(ALIAS);
    }

    /** A trust store holding only this certificate. */
    KeyStore trustStore() throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(ALIAS, certificate(keyStore));
        return trust;
    }
}
