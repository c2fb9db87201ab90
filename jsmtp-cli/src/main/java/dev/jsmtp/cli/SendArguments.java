package dev.jsmtp.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A fast parser for the plain command lines of {@code jsmtp send} (the RFC 5321 submission that cron and scripts
 * run once per message): {@code --name value}, {@code --name=value} and the short names, each option with a value
 * at most once unless repeatable, flags any number of times. Building picocli's model reads every option annotation, which costs more than the rest of a
 * start (JDK 17 cannot archive the annotation proxies); this fills {@link SendCommand}'s fields directly instead.
 * Anything else — {@code --help}, an unknown or repeated option, a missing value, a cluster such as
 * {@code -vt}, an {@code @file}, {@code --} — is left to picocli, so that its behaviour and messages stay exactly
 * as they were. {@code SendArgumentsTest} checks that both parsers fill the same fields for every option.
 */
final class SendArguments {

    private SendArguments() {
    }

    /** {@code send}'s options parsed from {@code args} (those after {@code send}), or {@code null} for picocli. */
    static SendCommand parse(String[] args, Cli cli) {
        SendCommand send = new SendCommand(cli);
        ConnectionOptions c = send.connection;
        AuthOptions a = send.auth;
        int i = 0;
        while (i < args.length) {
            String arg = args[i++];
            if (arg.length() < 2 || arg.charAt(0) != '-' || arg.equals("--")) {
                return null;
            }
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (isFlag(name)) {
                if (value != null || !setFlag(send, name)) {
                    return null;
                }
                continue;
            }
            if (value == null) {
                if (i == args.length) {
                    return null;
                }
                value = args[i++];
            }
            // picocli expands '@' as an argument file. (A dash-led value is a value, as for getopt: Main sets
            // picocli's allowOptionsAsOptionParameters to match.)
            if (value.startsWith("@")) {
                return null;
            }
            try {
                if (!set(send, c, a, name, value)) {
                    return null;
                }
            } catch (InvalidPathException | NumberFormatException e) {
                return null;
            }
        }
        return send;
    }

    private static boolean isFlag(String name) {
        switch (name) {
            case "--insecure-skip-verify": case "-v": case "--transcript": case "--allow-cleartext-auth":
            case "--allow-partial": case "--json":
                return true;
            default:
                return false;
        }
    }

    /** Sets a boolean option; given twice it is set all the same (picocli is told to allow that too). */
    private static boolean setFlag(SendCommand s, String name) {
        switch (name) {
            case "--insecure-skip-verify":
                return s.connection.insecureSkipVerify = true;
            case "-v": case "--transcript":
                return s.connection.transcript = true;
            case "--allow-cleartext-auth":
                return s.auth.allowCleartext = true;
            case "--allow-partial":
                return s.allowPartial = true;
            case "--json":
                return s.json = true;
            default:
                return false;
        }
    }

    /** Sets an option with a value; false for an unknown name or a single-valued option given twice. */
    private static boolean set(SendCommand s, ConnectionOptions c, AuthOptions a, String name, String value) {
        switch (name) {
            case "-s": case "--server": return c.server == null && (c.server = value) != null;
            case "--tls": return c.tls == null && (c.tls = value) != null;
            case "--cafile": return c.cafile == null && (c.cafile = Path.of(value)) != null;
            case "--tls-servername": return c.tlsServerName == null && (c.tlsServerName = value) != null;
            case "--tls-cert": return c.tlsCert == null && (c.tlsCert = Path.of(value)) != null;
            case "--tls-key": return c.tlsKey == null && (c.tlsKey = Path.of(value)) != null;
            case "--ehlo": return c.ehlo == null && (c.ehlo = value) != null;
            case "--timeout": return c.timeout == null && (c.timeout = Integer.valueOf(value)) != null;
            case "--account": return c.account == null && (c.account = value) != null;
            case "--config": return c.config == null && (c.config = Path.of(value)) != null;
            case "-u": case "--user": return a.user == null && (a.user = value) != null;
            case "--password-env": return a.passwordEnv == null && (a.passwordEnv = value) != null;
            case "--password-file": return a.passwordFile == null && (a.passwordFile = Path.of(value)) != null;
            case "--password-cmd": return a.passwordCmd == null && (a.passwordCmd = value) != null;
            case "--auth": return a.mechanism == null && (a.mechanism = value) != null;
            case "--oauth2-token-env": return a.tokenEnv == null && (a.tokenEnv = value) != null;
            case "--oauth2-token-cmd": return a.tokenCmd == null && (a.tokenCmd = value) != null;
            case "-f": case "--from": return s.from == null && (s.from = value) != null;
            case "-t": case "--to": return s.to.add(value);
            case "--cc": return s.cc.add(value);
            case "--bcc": return s.bcc.add(value);
            case "--subject": return s.subject == null && (s.subject = value) != null;
            case "--body": return s.body == null && (s.body = value) != null;
            case "--body-file": return s.bodyFile == null && (s.bodyFile = Path.of(value)) != null;
            case "--html-file": return s.htmlFile == null && (s.htmlFile = Path.of(value)) != null;
            case "--attach": return s.attach.add(Path.of(value));
            case "--header": return s.header.add(value);
            case "--eml": return s.eml == null && (s.eml = value) != null;
            case "--dsn-notify": return s.dsnNotify == null && (s.dsnNotify = value) != null;
            case "--dsn-ret": return s.dsnRet == null && (s.dsnRet = value) != null;
            case "--dsn-envid": return s.dsnEnvid == null && (s.dsnEnvid = value) != null;
            case "--quit-after": return s.quitAfter == null && (s.quitAfter = value) != null;
            default: return false;
        }
    }
}
