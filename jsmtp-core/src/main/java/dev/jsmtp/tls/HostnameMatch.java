package dev.jsmtp.tls;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * RFC 6125 server identity checks for {@link TlsUpgrade#check}, which must judge a chain outside a handshake
 * (where the JDK's own check, used for every real connection, is out of reach): DNS names with a wildcard only
 * as the whole left-most label, IP addresses against iPAddress entries. Unlike the JDK it never falls back to
 * the subject's CN, which RFC 6125 §6.4.4 deprecates.
 */
final class HostnameMatch {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostnameMatch() {
    }

    /** True for an IPv4 dotted quad or an IPv6 literal (with or without brackets). */
    static boolean isIpLiteral(String name) {
        return IPV4.matcher(name).matches() || name.indexOf(':') >= 0;
    }

    /** The name as verified and sent in SNI: brackets and a trailing dot removed, IDNs in their A-label form. */
    static String normalise(String name) {
        String n = name;
        if (n.startsWith("[") && n.endsWith("]")) {
            n = n.substring(1, n.length() - 1);
        }
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        return isIpLiteral(n) ? n : IDN.toASCII(n).toLowerCase(Locale.ROOT);
    }

    static boolean matches(X509Certificate certificate, String name) {
        String expected = normalise(name);
        List<String> dnsNames = new ArrayList<>();
        List<String> ipAddresses = new ArrayList<>();
        collect(certificate, dnsNames, ipAddresses);
        if (isIpLiteral(expected)) {
            byte[] address = address(expected);
            return address != null && ipAddresses.stream().map(HostnameMatch::address)
                    .anyMatch(a -> a != null && java.util.Arrays.equals(a, address));
        }
        return dnsNames.stream().anyMatch(pattern -> dnsMatches(pattern, expected));
    }

    /** What the certificate is for, for messages: {@code DNS:localhost, IP:127.0.0.1}. */
    static String identities(X509Certificate certificate) {
        List<String> dnsNames = new ArrayList<>();
        List<String> ipAddresses = new ArrayList<>();
        collect(certificate, dnsNames, ipAddresses);
        List<String> all = new ArrayList<>();
        dnsNames.forEach(d -> all.add("DNS:" + d));
        ipAddresses.forEach(i -> all.add("IP:" + i));
        if (all.isEmpty()) {
            all.add("no subject alternative name, subject " + certificate.getSubjectX500Principal().getName());
        }
        return String.join(", ", all);
    }

    private static void collect(X509Certificate certificate, List<String> dnsNames, List<String> ipAddresses) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return;
            }
            for (List<?> entry : names) {
                int type = (Integer) entry.get(0);
                if (type == SAN_DNS) {
                    dnsNames.add((String) entry.get(1));
                } else if (type == SAN_IP) {
                    ipAddresses.add((String) entry.get(1));
                }
            }
        } catch (CertificateParsingException e) {
            // An unparseable extension matches nothing.
        }
    }

    static boolean dnsMatches(String pattern, String name) {
        String p = pattern.toLowerCase(Locale.ROOT);
        if (p.endsWith(".")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!p.startsWith("*.")) {
            return p.equals(name);
        }
        // RFC 6125 §6.4.3: "*" stands for exactly one whole label, and never for a top-level-only match.
        String suffix = p.substring(1);
        int firstDot = name.indexOf('.');
        return firstDot > 0 && name.substring(firstDot).equals(suffix) && suffix.indexOf('.', 1) > 0;
    }

    /** The octets of an IP literal, parsed without any name lookup (the literal check comes first). */
    private static byte[] address(String literal) {
        if (!isIpLiteral(literal)) {
            return null;
        }
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
