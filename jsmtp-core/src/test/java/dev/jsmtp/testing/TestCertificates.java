package dev.jsmtp.testing;

import dev.jsmtp.tls.TlsSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for TLS tests (RFC 5280), made with the JDK's {@code keytool} once per JVM at most, and kept in a
 * cache directory under {@code java.io.tmpdir} for later JVMs: a test CA and the server identities it signs (one
 * for localhost, 127.0.0.1 and ::1; one for a wrong name; an expired one), a self-signed server identity, a client
 * identity, and a second, unrelated CA with a server identity it signs. Works offline; making them takes a few
 * seconds (keytool runs in two parallel waves), reusing them a fraction of one.
 *
 * <p>For GreenMail: {@code System.setProperty("greenmail.tls.keystore.file", keyStore(Identity.TRUSTED).toString())}
 * and {@code greenmail.tls.keystore.password} = {@link #PASSWORD}, before GreenMail's first TLS server starts.
 */
public final class TestCertificates {

    /** The password of every key store and key here. */
    public static final String PASSWORD = "changeit";

    /** The identities a test server can present, or (CLIENT) a test client. */
    public enum Identity {
        /** Signed by the test CA for DNS:localhost, IP:127.0.0.1, IP:::1; valid now. */
        TRUSTED,
        /** Signed by the test CA for DNS:wrong.example only. */
        WRONG_NAME,
        /** Signed by the test CA for localhost and loopback, but its validity ended weeks ago. */
        EXPIRED,
        /** Self-signed for localhost and loopback. */
        SELF_SIGNED,
        /** Signed by the unrelated CA for localhost and loopback: valid, but not from the test CA. */
        UNRELATED_CA,
        /** A client certificate (extended key usage clientAuth) signed by the test CA. */
        CLIENT
    }

    /** Bumped whenever the set of identities or their contents change, so old caches are not reused. */
    private static final String CACHE_VERSION = "v1";
    private static final String LOCAL_SAN = "san=dns:localhost,ip:127.0.0.1,ip:::1";
    private static Generated generated;

    private TestCertificates() {
    }

    private record Generated(Path directory, Map<Identity, Path> keyStores, Map<Identity, X509Certificate> leaves,
                             X509Certificate ca, Path caPem, Path unrelatedCaPem, Path clientCertificatePem,
                             Path clientKeyPem) {
    }

    private static synchronized Generated generated() {
        if (generated == null) {
            try {
                generated = generate();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException | InterruptedException e) {
                throw new IllegalStateException("cannot make the test certificates", e);
            }
        }
        return generated;
    }

    /** A PKCS#12 key store ({@link #PASSWORD}) with one key entry: the identity's key, its certificate and CA. */
    public static Path keyStore(Identity identity) {
        return generated().keyStores().get(identity);
    }

    public static String keyStorePassword() {
        return PASSWORD;
    }

    /** The identity's own certificate. */
    public static X509Certificate certificate(Identity identity) {
        return generated().leaves().get(identity);
    }

    /** The test CA's certificate. */
    public static X509Certificate caCertificate() {
        return generated().ca();
    }

    /** The test CA as a PEM file, for {@code TlsSettings.Builder.trustedCertificates} or {@code --cacert}. */
    public static Path caPem() {
        return generated().caPem();
    }

    /** A second CA, unrelated to the test CA, as a PEM file. */
    public static Path unrelatedCaPem() {
        return generated().unrelatedCaPem();
    }

    /** The client identity's certificate chain (leaf, then the test CA) as PEM. */
    public static Path clientCertificatePem() {
        return generated().clientCertificatePem();
    }

    /** The client identity's private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    public static Path clientKeyPem() {
        return generated().clientKeyPem();
    }

    /** Client settings that trust the test CA only. */
    public static TlsSettings trustingTestCa() {
        try {
            return TlsSettings.builder().trustedCertificates(caPem()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server-side context presenting the identity and trusting the test CA for client certificates. */
    public static SSLContext serverContext(Identity identity) {
        try {
            KeyStore keys = load(keyStore(identity));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD.toCharArray());
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("ca", caCertificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A factory for test servers presenting the identity. */
    public static SSLServerSocketFactory serverSocketFactory(Identity identity) {
        return serverContext(identity).getServerSocketFactory();
    }

    /**
     * Reuses the certificates an earlier JVM left in the shared cache directory when they are complete and the
     * valid ones stay valid for a while; otherwise makes them in a fresh directory and publishes it there with an
     * atomic rename, so that JVMs running side by side never see half a set. A stale cache is left alone (another
     * JVM may be using it); delete it by hand, or bump {@link #CACHE_VERSION}.
     */
    private static Generated generate() throws IOException, GeneralSecurityException, InterruptedException {
        Path cache = Paths.get(System.getProperty("java.io.tmpdir"),
                "jsmtp-test-certificates-" + CACHE_VERSION + "-" + System.getProperty("user.name", "user"));
        if (Files.isDirectory(cache)) {
            try {
                Generated reused = read(cache);
                reused.leaves().get(Identity.TRUSTED).checkValidity(new Date(System.currentTimeMillis()
                        + TimeUnit.DAYS.toMillis(30)));
                return reused;
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                // Incomplete, unreadable or close to expiry: make a new set below.
            }
        }
        Path dir = Files.createTempDirectory("jsmtp-test-certificates");
        make(dir);
        try {
            // Fails when the cache exists (published meanwhile, or stale and possibly in use): then keep ours.
            Files.move(dir, cache, StandardCopyOption.ATOMIC_MOVE);
            return read(cache);
        } catch (IOException e) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
            return read(dir);
        }
    }

    /** Runs keytool and writes the clean key stores and PEM files into {@code dir}. */
    private static void make(Path dir) throws IOException, GeneralSecurityException, InterruptedException {
        // Wave 1: the two CAs and the self-signed identity need nothing else.
        run(dir, List.of(
                genkeypair("ca.p12", "ca", "CN=jsmtp Test CA", "-ext", "bc:c"),
                genkeypair("other-ca.p12", "ca", "CN=Unrelated Test CA", "-ext", "bc:c"),
                genkeypair("SELF_SIGNED.p12", "self", "CN=localhost", "-ext", LOCAL_SAN)));

        // Wave 2: each signed identity in its own copy of the CA's store, since keytool signs within one store.
        for (Identity id : List.of(Identity.TRUSTED, Identity.WRONG_NAME, Identity.EXPIRED, Identity.CLIENT)) {
            Files.copy(dir.resolve("ca.p12"), dir.resolve(id + ".p12"));
        }
        Files.copy(dir.resolve("other-ca.p12"), dir.resolve(Identity.UNRELATED_CA + ".p12"));
        run(dir, List.of(
                signed(Identity.TRUSTED, "CN=localhost", "-ext", LOCAL_SAN, "-ext", "eku=serverAuth"),
                signed(Identity.WRONG_NAME, "CN=wrong.example", "-ext", "san=dns:wrong.example"),
                signed(Identity.EXPIRED, "CN=localhost", "-ext", LOCAL_SAN, "-startdate", "-30d", "-validity", "10"),
                signed(Identity.UNRELATED_CA, "CN=localhost", "-ext", LOCAL_SAN),
                signed(Identity.CLIENT, "CN=client.example", "-ext", "eku=clientAuth")));

        X509Certificate ca = (X509Certificate) load(dir.resolve("ca.p12")).getCertificate("ca");
        X509Certificate otherCa = (X509Certificate) load(dir.resolve("other-ca.p12")).getCertificate("ca");
        X509Certificate client = null;
        for (Identity id : Identity.values()) {
            Path file = dir.resolve(id + ".p12");
            KeyStore generatedStore = load(file);
            String alias = id == Identity.SELF_SIGNED ? "self" : "leaf";
            PrivateKey key = (PrivateKey) generatedStore.getKey(alias, PASSWORD.toCharArray());
            X509Certificate leaf = (X509Certificate) generatedStore.getCertificate(alias);
            Certificate[] chain = id == Identity.SELF_SIGNED ? new Certificate[] {leaf}
                    : new Certificate[] {leaf, id == Identity.UNRELATED_CA ? otherCa : ca};
            // A clean store with only this identity's key, so that no server picks the CA's key by mistake.
            KeyStore clean = KeyStore.getInstance("PKCS12");
            clean.load(null, null);
            clean.setKeyEntry(id == Identity.CLIENT ? "client" : "server", key, PASSWORD.toCharArray(), chain);
            try (OutputStream out = Files.newOutputStream(file)) {
                clean.store(out, PASSWORD.toCharArray());
            }
            if (id == Identity.CLIENT) {
                client = leaf;
                Files.writeString(dir.resolve("client-key.pem"), pem("PRIVATE KEY", key.getEncoded()));
            }
        }
        Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", ca.getEncoded()));
        Files.writeString(dir.resolve("other-ca.pem"), pem("CERTIFICATE", otherCa.getEncoded()));
        Files.writeString(dir.resolve("client.pem"), pem("CERTIFICATE", client.getEncoded())
                + pem("CERTIFICATE", ca.getEncoded()));
    }

    /** Loads a complete set from {@code dir}; any missing or unreadable file is an error. */
    private static Generated read(Path dir) throws IOException, GeneralSecurityException {
        Map<Identity, Path> stores = new EnumMap<>(Identity.class);
        Map<Identity, X509Certificate> leaves = new EnumMap<>(Identity.class);
        for (Identity id : Identity.values()) {
            Path file = dir.resolve(id + ".p12");
            KeyStore store = load(file);
            String alias = id == Identity.CLIENT ? "client" : "server";
            X509Certificate leaf = (X509Certificate) store.getCertificate(alias);
            if (leaf == null || !store.isKeyEntry(alias)) {
                throw new IOException("no key entry " + alias + " in " + file);
            }
            stores.put(id, file);
            leaves.put(id, leaf);
        }
        X509Certificate ca = Pem.certificate(dir.resolve("ca.pem"));
        Pem.certificate(dir.resolve("other-ca.pem"));
        for (String name : List.of("client.pem", "client-key.pem")) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                throw new IOException("missing " + dir.resolve(name));
            }
        }
        return new Generated(dir, stores, leaves, ca, dir.resolve("ca.pem"), dir.resolve("other-ca.pem"),
                dir.resolve("client.pem"), dir.resolve("client-key.pem"));
    }

    /** Test-side PEM reading through the JDK. */
    private static final class Pem {
        static X509Certificate certificate(Path file) throws IOException, GeneralSecurityException {
            try (InputStream in = Files.newInputStream(file)) {
                return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
        }
    }

    private static List<String> genkeypair(String store, String alias, String dname, String... extra) {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-keystore", store, "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD, "-alias", alias, "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", dname));
        // A start a day back keeps the certificates valid whatever the clocks of the test's processes say.
        if (!List.of(extra).contains("-startdate")) {
            args.addAll(List.of("-startdate", "-1d", "-validity", "3650"));
        }
        args.addAll(List.of(extra));
        return args;
    }

    private static List<String> signed(Identity id, String dname, String... extra) {
        List<String> args = genkeypair(id + ".p12", "leaf", dname, extra);
        args.addAll(List.of("-signer", "ca", "-signerkeypass", PASSWORD));
        return args;
    }

    /** Runs the keytool invocations in parallel and waits for all of them. */
    private static void run(Path dir, List<List<String>> invocations) throws IOException, InterruptedException {
        String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (List<String> invocation : invocations) {
            List<String> command = new ArrayList<>(List.of(keytool, "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
            command.addAll(invocation);
            Path log = Files.createTempFile(dir, "keytool-", ".log");
            logs.add(log);
            processes.add(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start());
        }
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("keytool failed: " + String.join(" ", invocations.get(i)) + "\n"
                        + Files.readString(logs.get(i)));
            }
        }
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
