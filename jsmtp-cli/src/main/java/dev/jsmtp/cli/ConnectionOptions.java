package dev.jsmtp.cli;

import dev.jsmtp.TlsMode;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** The options that say which server to reach and how: shared by {@code send} and {@code probe}. */
public final class ConnectionOptions {

    /** The --timeout default, in seconds. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;

    @Option(names = {"-s", "--server"}, paramLabel = "HOST[:PORT]",
            description = "The SMTP server. The port defaults from --tls: implicit 465, starttls 587, "
                    + "starttls-opportunistic and none 25.")
    String server;

    @Option(names = "--tls", paramLabel = "MODE",
            description = "implicit | starttls | starttls-opportunistic | none. Default: implicit on port 465 "
                    + "(or no port), starttls on any other port. starttls means STARTTLS is required.")
    String tls;

    @Option(names = "--cafile", paramLabel = "PEM", description = "Trust only the CA certificates in this PEM file.")
    Path cafile;

    @Option(names = "--tls-servername", paramLabel = "NAME",
            description = "Verify the certificate against NAME (and send it as SNI), e.g. when connecting by address.")
    String tlsServerName;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Present this client certificate chain.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The PKCS#8 private key of --tls-cert.")
    Path tlsKey;

    @Option(names = "--insecure-skip-verify",
            description = "Accept any certificate and host name. Anyone on the path can then read and change the "
                    + "session, credentials included. For throwaway test servers only.")
    boolean insecureSkipVerify;

    @Option(names = "--ehlo", paramLabel = "NAME", description = "The name sent with EHLO (default: [local address]).")
    String ehlo;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Bounds the connect, the TLS handshake and the wait for each complete reply "
                    + "(default: " + DEFAULT_TIMEOUT_SECONDS + ").")
    Integer timeout;

    @Option(names = "--account", paramLabel = "NAME", description = "Use this account of the accounts file.")
    String account;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The accounts file (default: $JSMTP_CONFIG, else ~/.config/jsmtp/config).")
    Path config;

    @Option(names = {"-v", "--transcript"},
            description = "Print the conversation on standard error: C:/S: lines with timestamps and TLS events, "
                    + "secrets masked.")
    boolean transcript;

    /** The account chosen by --account, or the default account, or none. */
    Account account(Cli cli) throws CliException {
        return AccountsFile.load(Optional.ofNullable(config), cli).select(Optional.ofNullable(account), server != null);
    }

    /** Resolves the endpoint from the options, falling back to the account's settings. */
    Endpoint endpoint(Account a) throws CliException {
        String serverText = server != null ? server : a.get("server").orElse(null);
        if (serverText == null) {
            throw CliException.usage("no server: give --server HOST[:PORT] or an account with 'server'");
        }
        ServerAddress address;
        try {
            address = ServerAddress.parse(serverText);
        } catch (IllegalArgumentException e) {
            throw server != null ? CliException.usage("--server: " + e.getMessage())
                    : CliException.config(a.where("server") + ": server: " + e.getMessage());
        }
        Integer port = address.port().isPresent() ? Integer.valueOf(address.port().getAsInt())
                : server == null ? a.get("port").map(Integer::valueOf).orElse(null) : null;
        TlsMode mode;
        String modeText = tls != null ? tls : a.get("tls").orElse(null);
        if (modeText != null) {
            try {
                mode = TlsMode.fromCliName(modeText);
            } catch (IllegalArgumentException e) {
                throw tls != null ? CliException.usage("--tls: " + e.getMessage())
                        : CliException.config(a.where("tls") + ": " + e.getMessage());
            }
        } else {
            mode = port == null || port == 465 ? TlsMode.IMPLICIT : TlsMode.STARTTLS_REQUIRED;
        }
        return new Endpoint(address.host(), port != null ? port : mode.defaultPort(), mode);
    }

    /** Where to connect and how. */
    record Endpoint(String host, int port, TlsMode tlsMode) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
