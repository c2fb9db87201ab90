package dev.jsmtp.cli;

import dev.jsmtp.oauth2.Browser;
import dev.jsmtp.oauth2.OAuth2Login;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenRequest;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jsmtp oauth2 login|token|logout} against navikt's mock-oauth2-server on loopback. */
class OAuth2CommandTest {

    static final String CLIENT_ID = "jsmtp-cli-test";
    static final String CLIENT_SECRET = "cl1ent-s3cret-value";

    @TempDir
    Path home;

    private Provider provider;
    private Path config;

    @BeforeEach
    void start() throws IOException {
        provider = Provider.start();
        config = home.resolve("accounts");
        Files.writeString(config, provider.account("work", "127.0.0.1:1"));
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    private TestCli cli() {
        TestCli t = new TestCli(home);
        t.env.put(OAuth2Account.CLIENT_ID_ENV, CLIENT_ID);
        return t;
    }

    private Path tokenFile(String account) {
        return home.resolve(".config/jsmtp/tokens/" + account + ".json");
    }

    @Test
    void loginStoresThePrivateSignInTokenPrintsItAndLogoutForgetsIt() throws IOException {
        TestCli login = cli();
        PlayingBrowser browser = new PlayingBrowser();
        int exit = login(login, browser, "login", "--account", "work", "--config", config.toString());

        assertThat(exit).as(login.err()).isZero();
        assertThat(login.err()).isEmpty();
        assertThat(login.out()).contains("Signed in account \"work\"").contains(tokenFile("work").toString());
        assertThat(browser.loopbackStatus).isEqualTo(200);
        Path file = tokenFile("work");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String stored = Files.readString(file);
        assertThat(stored).contains("\"refresh_token\"");
        // The client ID came from the environment, not the accounts file.
        List<RecordedRequest> requests = provider.takeRequests();
        assertThat(Provider.query(requests.get(0))).containsEntry("client_id", CLIENT_ID);
        assertThat(login.out()).doesNotContain(Provider.field(stored, "refresh_token"))
                .doesNotContain(Provider.field(stored, "access_token"));

        TestCli token = cli();
        assertThat(token.run("oauth2", "token", "--account", "work", "--config", config.toString()))
                .as(token.err()).isZero();
        String printed = token.out().strip();
        assertThat(printed).isEqualTo(Provider.field(stored, "access_token")).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        assertThat(token.err()).isEmpty();

        TestCli logout = cli();
        assertThat(logout.run("oauth2", "logout", "--account", "work", "--config", config.toString())).isZero();
        assertThat(logout.out()).contains("Signed out account \"work\"");
        assertThat(file).doesNotExist();

        TestCli after = cli();
        assertThat(after.run("oauth2", "token", "--account", "work", "--config", config.toString())).isEqualTo(77);
        assertThat(after.out()).isEmpty();
        assertThat(after.err().lines()).hasSize(1);
        assertThat(after.err()).startsWith("jsmtp: ").contains("jsmtp oauth2 login --account work");

        TestCli again = cli();
        assertThat(again.run("oauth2", "logout", "--account", "work", "--config", config.toString())).isZero();
        assertThat(again.out()).contains("had no stored sign-in");
    }

    @Test
    void aKeyringHelperNamedByOauth2TokenStoreCmdKeepsTheSignIn() throws IOException {
        Path vault = home.resolve("vault");
        Files.createDirectories(vault);
        Path helper = home.resolve("keyring.sh");
        Files.writeString(helper, "#!/bin/sh\nf='" + vault + "'/\"$2\"\ncase \"$1\" in\n"
                + "  get) [ -f \"$f\" ] || exit 1; cat \"$f\" ;;\n  put) cat > \"$f\" ;;\n"
                + "  delete) [ -f \"$f\" ] || exit 1; rm \"$f\" ;;\nesac\n");
        helper.toFile().setExecutable(true);
        Files.writeString(config, provider.account("work", "127.0.0.1:1") + "oauth2-token-store-cmd " + helper + "\n");

        TestCli login = cli();
        assertThat(login(login, new PlayingBrowser(), "login", "--account", "work", "--config", config.toString()))
                .as(login.err()).isZero();
        assertThat(Files.readString(vault.resolve("work"))).contains("\"refresh_token\"");
        assertThat(home.resolve(".config/jsmtp/tokens")).doesNotExist();

        TestCli token = cli();
        assertThat(token.run("oauth2", "token", "--account", "work", "--config", config.toString())).isZero();
        assertThat(Files.readString(vault.resolve("work"))).contains(token.out().strip());

        assertThat(cli().run("oauth2", "logout", "--account", "work", "--config", config.toString())).isZero();
        assertThat(vault.resolve("work")).doesNotExist();
    }

    @Test
    void withoutABrowserThePastedRedirectAddressSignsIn() throws Exception {
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(keyboard);
        AddressWatcher screen = new AddressWatcher();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(stdin, new PrintStream(screen, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(OAuth2Account.CLIENT_ID_ENV, CLIENT_ID),
                true, false, null, home);
        OAuth2Login login = OAuth2Login.builder().browser(Browser.none()).loginTimeout(Duration.ofSeconds(20)).build();

        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> new CommandLine(new OAuth2Command(cli,
                login)).execute("login", "--account", "work", "--config", config.toString()));
        // The person opens the address on another machine, whose browser ends on an unreachable loopback address.
        URI address = screen.address.get(10, TimeUnit.SECONDS);
        URI redirectedTo = PlayingBrowser.redirect(address);
        keyboard.write((redirectedTo + "\n").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();

        assertThat(run.get(20, TimeUnit.SECONDS)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(screen.text()).contains("Signed in account \"work\"");
        assertThat(Files.readString(tokenFile("work"))).contains("\"refresh_token\"");
    }

    @Test
    void aRevokedSignInTellsTheUserToLogInAgainWithExit77() throws IOException {
        Files.createDirectories(tokenFile("work").getParent());
        Files.writeString(tokenFile("work"), "{\"version\":1,\"refresh_token\":\"revoked-refresh-token\"}");
        provider.server.enqueueCallback(new RefusingCallback());

        TestCli t = cli();
        assertThat(t.run("oauth2", "token", "--account", "work", "--config", config.toString())).isEqualTo(77);

        assertThat(t.out()).isEmpty();
        assertThat(t.err().lines()).hasSize(1);
        assertThat(t.err()).contains("invalid_grant").contains("jsmtp oauth2 login --account work")
                .doesNotContain("revoked-refresh-token");
        // The refresh token was presented, and is kept: only a new login replaces it.
        assertThat(Provider.form(provider.takeRequests().get(0))).containsEntry("refresh_token", "revoked-refresh-token");
        assertThat(tokenFile("work")).exists();
    }

    @Test
    void anUnreachableTokenEndpointIsATemporaryFailureThatShowsNoSecret() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        Files.writeString(config, "account app\nserver 127.0.0.1:1\noauth2-provider custom\n"
                + "oauth2-grant client-credentials\noauth2-token-url http://127.0.0.1:" + closed + "/token\n");
        TestCli t = cli();
        t.env.put(OAuth2Account.CLIENT_SECRET_ENV, CLIENT_SECRET);

        assertThat(t.run("oauth2", "token", "--account", "app", "--config", config.toString())).isEqualTo(75);

        assertThat(t.err().lines()).hasSize(1);
        assertThat(t.err()).contains("could not reach").contains("127.0.0.1:" + closed).doesNotContain(CLIENT_SECRET)
                .doesNotContain("\tat ");
    }

    @Test
    void clientCredentialsGiveATokenWithoutAnySignIn() throws IOException {
        Files.writeString(config, "account app\nserver 127.0.0.1:1\noauth2-provider custom\n"
                + "oauth2-grant client-credentials\noauth2-token-url " + provider.tokenEndpoint() + "\n"
                + "oauth2-client-id " + CLIENT_ID + "\noauth2-client-secret-cmd echo " + CLIENT_SECRET + "\n");
        TestCli t = new TestCli(home);

        assertThat(t.run("oauth2", "token", "--account", "app", "--config", config.toString())).as(t.err()).isZero();

        assertThat(t.out().strip()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        assertThat(Provider.form(provider.takeRequests().get(0))).containsEntry("grant_type", "client_credentials");
        assertThat(home.resolve(".config/jsmtp/tokens")).doesNotExist();
    }

    @Test
    void configurationErrorsAreOneLineWithExit78() throws IOException {
        Files.writeString(config, "account plain\nserver 127.0.0.1:1\nuser me@example.org\n"
                + "account noclient\nserver 127.0.0.1:1\noauth2-provider custom\noauth2-token-url "
                + provider.tokenEndpoint() + "\n"
                + "account wrong\nserver 127.0.0.1:1\noauth2-provider yahoo\noauth2-client-id x\n"
                + "account badsecret\nserver 127.0.0.1:1\noauth2-provider google\noauth2-client-id x\n"
                + "oauth2-client-secret-cmd exit 3\n");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("plain", "has no oauth2-provider");
        expected.put("noclient", "missing oauth2-client-id");
        expected.put("wrong", "oauth2-provider must be google, microsoft, microsoft-app or custom");
        expected.put("badsecret", "oauth2-client-secret-cmd");
        expected.put("nosuch", "no account 'nosuch'");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            TestCli t = new TestCli(home);
            assertThat(t.run("oauth2", "login", "--account", e.getKey(), "--config", config.toString()))
                    .as(e.getKey() + ": " + t.err()).isEqualTo(78);
            assertThat(t.err().lines()).as(e.getKey()).hasSize(1);
            assertThat(t.err()).as(e.getKey()).startsWith("jsmtp: ").contains(e.getValue());
            assertThat(t.out()).as(e.getKey()).isEmpty();
        }
    }

    @Test
    void helpShowsTheSubcommandsAndExamples() {
        TestCli t = cli();
        assertThat(t.run("oauth2", "--help")).isZero();
        assertThat(t.out()).contains("login", "token", "logout", "Examples:", "jsmtp oauth2 login  --account work",
                OAuth2Account.CLIENT_ID_ENV);
        TestCli login = cli();
        assertThat(login.run("oauth2", "login", "--help")).isZero();
        assertThat(login.out()).contains("--account=NAME", "--config=FILE", "jsmtp oauth2 login --account gmail");
        TestCli top = cli();
        assertThat(top.run("--help")).isZero();
        assertThat(top.out()).contains("oauth2");
        TestCli bare = cli();
        assertThat(bare.run("oauth2")).isEqualTo(64);
    }

    /** Runs {@code jsmtp oauth2 ARGS} with a browser the test plays. */
    static int login(TestCli t, Browser browser, String... args) {
        OAuth2Login login = OAuth2Login.builder().browser(browser).loginTimeout(Duration.ofSeconds(20)).build();
        CommandLine cmd = new CommandLine(new OAuth2Command(t.cli(), login));
        return cmd.execute(args);
    }

    /** mock-oauth2-server on a loopback port, and an accounts-file section that points jsmtp at it. */
    static final class Provider implements AutoCloseable {
        static final String ISSUER = "default";
        final MockOAuth2Server server;

        private Provider(MockOAuth2Server server) {
            this.server = server;
        }

        static Provider start() throws IOException {
            MockOAuth2Server server = new MockOAuth2Server(OAuth2Config.Companion.fromJson(
                    "{\"rotateRefreshToken\": true}"));
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            return new Provider(server);
        }

        URI tokenEndpoint() {
            return server.tokenEndpointUrl(ISSUER).uri();
        }

        /** An account that signs in to this server as a public client, sending through {@code smtp}. */
        String account(String name, String smtp) {
            return "account " + name + "\nserver " + smtp + "\ntls none\nallow-cleartext-auth on\n"
                    + "user me@example.org\nfrom me@example.org\n"
                    + "oauth2-provider custom\n"
                    + "oauth2-token-url " + tokenEndpoint() + "\n"
                    + "oauth2-auth-url " + server.authorizationEndpointUrl(ISSUER).uri() + "\n"
                    // The mock is an OpenID Provider: it insists on openid in every authorization request.
                    + "oauth2-scope openid offline_access\n";
        }

        List<RecordedRequest> takeRequests() {
            List<RecordedRequest> all = new ArrayList<>();
            while (true) {
                try {
                    all.add(server.takeRequest(200, TimeUnit.MILLISECONDS));
                } catch (RuntimeException noMore) {
                    return all;
                }
            }
        }

        static Map<String, String> query(RecordedRequest request) {
            return parse(request.getRequestUrl().encodedQuery());
        }

        static Map<String, String> form(RecordedRequest request) {
            return parse(request.getBody().readUtf8());
        }

        private static Map<String, String> parse(String encoded) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String pair : encoded == null ? new String[0] : encoded.split("&")) {
                int eq = pair.indexOf('=');
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return fields;
        }

        /** A string field of the stored token's JSON. */
        static String field(String json, String name) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"")
                    .matcher(json);
            assertThat(m.find()).as("%s in the stored token", name).isTrue();
            return m.group(1);
        }

        @Override
        public void close() {
            server.shutdown();
        }
    }

    /** Plays the user's browser: loads the authorization address, then follows the redirect to the loopback. */
    static final class PlayingBrowser implements Browser {
        private static final HttpClient HTTP = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER).build();
        volatile int loopbackStatus;

        @Override
        public boolean available() {
            return true;
        }

        @Override
        public boolean open(URI uri) {
            loopbackStatus = get(redirect(uri)).statusCode();
            return true;
        }

        static URI redirect(URI authorization) {
            HttpResponse<String> response = get(authorization);
            assertThat(response.statusCode() / 100).as(response.body()).isEqualTo(3);
            return URI.create(response.headers().firstValue("Location").orElseThrow());
        }

        private static HttpResponse<String> get(URI uri) {
            try {
                return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A terminal that notices the authorization address being printed. */
    static final class AddressWatcher extends OutputStream {
        private final ByteArrayOutputStream all = new ByteArrayOutputStream();
        final CompletableFuture<URI> address = new CompletableFuture<>();

        @Override
        public synchronized void write(int b) {
            all.write(b);
            if (b == '\n') {
                Optional<String> line = text().lines().filter(l -> l.startsWith("http")
                        && l.contains("code_challenge")).findFirst();
                line.ifPresent(l -> address.complete(URI.create(l.strip())));
            }
        }

        synchronized String text() {
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    /** Refuses every grant, as a provider does for a refresh token it no longer honours. */
    static final class RefusingCallback implements OAuth2TokenCallback {
        @Override
        public String issuerId() {
            return Provider.ISSUER;
        }

        @Override
        public String subject(TokenRequest request) {
            throw new no.nav.security.mock.oauth2.OAuth2Exception(
                    OAuth2Error.INVALID_GRANT.setDescription("Token has been expired or revoked."),
                    "Token has been expired or revoked.");
        }

        @Override
        public String typeHeader(TokenRequest request) {
            return "JWT";
        }

        @Override
        public List<String> audience(TokenRequest request) {
            return List.of("smtp");
        }

        @Override
        public Map<String, Object> addClaims(TokenRequest request) {
            return Map.of();
        }

        @Override
        public long tokenExpiry() {
            return 3600;
        }
    }
}
