package dev.jsmtp.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PEM files (RFC 7468): certificates through the JDK's CertificateFactory, and unencrypted private keys. */
final class Pem {

    private static final Pattern KEY_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final String TO_PKCS8 = "openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem";
    private static final byte[] RSA_ALGORITHM_IDENTIFIER = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private Pem() {
    }

    /** Every X.509 certificate in the file, in order; an error when there is none. */
    static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) c);
            }
        } catch (CertificateException e) {
            throw new IOException("cannot read the certificates in " + file + ": " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IOException("no PEM certificate (-----BEGIN CERTIFICATE-----) in " + file);
        }
        return certificates;
    }

    /**
     * The private key in the file: PKCS#8 ({@code BEGIN PRIVATE KEY}, RSA, EC or EdDSA) or PKCS#1
     * ({@code BEGIN RSA PRIVATE KEY}, converted here). Other forms get an error naming the openssl command that
     * converts them.
     */
    static PrivateKey privateKey(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = KEY_BLOCK.matcher(text);
        while (m.find()) {
            String label = m.group(1);
            if (!label.endsWith("PRIVATE KEY")) {
                continue;
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new IOException("the private key in " + file + " is not valid base64", e);
            }
            try {
                switch (label) {
                    case "PRIVATE KEY":
                        return pkcs8(der, file);
                    case "RSA PRIVATE KEY":
                        byte[] wrapped = pkcs1ToPkcs8(der);
                        try {
                            return pkcs8(wrapped, file);
                        } finally {
                            Arrays.fill(wrapped, (byte) 0);
                        }
                    case "ENCRYPTED PRIVATE KEY":
                        throw new IOException("the private key in " + file + " is encrypted; jsmtp needs it"
                                + " unencrypted, e.g. " + TO_PKCS8);
                    default:
                        throw new IOException("the private key in " + file + " is a " + label + "; jsmtp reads"
                                + " PKCS#8 (BEGIN PRIVATE KEY): convert it with " + TO_PKCS8);
                }
            } finally {
                Arrays.fill(der, (byte) 0);
            }
        }
        throw new IOException("no PEM private key (-----BEGIN PRIVATE KEY-----) in " + file);
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws IOException {
        for (String algorithm : new String[] {"RSA", "EC", "EdDSA", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm; try the next
            }
        }
        throw new IOException("the PKCS#8 private key in " + file + " is not an RSA, EC or EdDSA key this JDK reads");
    }

    /** RFC 5208 PrivateKeyInfo around an RFC 8017 RSAPrivateKey: version 0, rsaEncryption, the key as octets. */
    static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM_IDENTIFIER);
        body.write(0x04);
        body.writeBytes(derLength(pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(derLength(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derLength(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        int bytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
        byte[] out = new byte[1 + bytes];
        out[0] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            out[bytes - i] = (byte) (length >>> (8 * i));
        }
        return out;
    }
}
