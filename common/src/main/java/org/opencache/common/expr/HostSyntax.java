package org.opencache.common.expr;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The one place that decides what a host and a port look like, for expressions and for fetch
 * URLs alike, and that turns a valid host into its canonical spelling.
 *
 * <p>Canonical hosts are what end up in database keys and redirect rules, so two spellings of the
 * same host must give the same string: DNS names are lower-cased and lose a trailing dot, IPv6
 * literals are re-printed in the RFC 5952 form inside brackets. Nothing here ever resolves a
 * name: an operator's typo must not turn into a DNS query, and parsing must not block.
 *
 * <p>Decisions worth knowing:
 * <ul>
 *   <li>A host made only of digits and dots is an IPv4 address, never a name (no top-level
 *       domain is all-numeric), so {@code 1.2.3} is an error rather than a strange name.</li>
 *   <li>IPv4 octets with a leading zero ({@code 01.2.3.4}) are rejected: some parsers read them
 *       as octal, so the operator and the network could disagree on the address.</li>
 *   <li>Internationalised names must be given in their ASCII ({@code xn--}) form; the error says
 *       what that form is. Silently converting would hide which key is stored.</li>
 *   <li>IPv6 zone ids ({@code %eth0}) are rejected: they name an interface of one machine and
 *       mean nothing to a cache shared by many.</li>
 * </ul>
 */
final class HostSyntax {
    /** The port an expression or URL has when it names none. */
    static final int DEFAULT_PORT = 80;

    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;
    // The longest textual IPv6 address, "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", is 45
    // characters; anything longer is garbage and is refused before the JDK parser sees it.
    private static final int MAX_IPV6_LENGTH = 45;

    private HostSyntax() {
    }

    /** A host in canonical form and a port, the result of parsing {@code host[:port]}. */
    record HostPort(String host, int port) {
    }

    /**
     * Parses an authority {@code host[:port]}, where host may be a bracketed IPv6 literal.
     *
     * @throws InvalidExpressionException with a message naming the wrong piece, without context
     */
    static HostPort parseAuthority(String authority) throws InvalidExpressionException {
        if (authority.isEmpty()) {
            throw problem("the host is missing");
        }
        if (authority.indexOf('@') >= 0) {
            throw problem("user info (" + Parts.quote(authority.substring(0, authority.indexOf('@') + 1))
                    + ") is not allowed");
        }
        String host;
        String afterHost;
        if (authority.charAt(0) == '[') {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw problem("IPv6 literal " + Parts.quote(authority) + " is missing its closing ']'");
            }
            host = authority.substring(0, close + 1);
            afterHost = authority.substring(close + 1);
            if (!afterHost.isEmpty() && afterHost.charAt(0) != ':') {
                throw problem("unexpected " + Parts.quote(afterHost) + " after IPv6 literal "
                        + Parts.quote(host));
            }
        } else {
            if (authority.indexOf(']') >= 0) {
                throw problem("IPv6 literal " + Parts.quote(authority) + " is missing its opening '['");
            }
            int colon = authority.indexOf(':');
            if (colon >= 0 && authority.indexOf(':', colon + 1) >= 0) {
                if (isIpv6Characters(authority)) {
                    throw problem("IPv6 literal " + Parts.quote(authority) + " must be in brackets, e.g. "
                            + Parts.quote("[" + authority + "]"));
                }
                throw problem(Parts.quote(authority) + " has more than one ':' before the path");
            }
            host = colon < 0 ? authority : authority.substring(0, colon);
            afterHost = colon < 0 ? "" : authority.substring(colon);
        }
        String canonicalHost = canonicalHost(host);
        int port = afterHost.isEmpty() ? DEFAULT_PORT : parsePort(afterHost.substring(1));
        return new HostPort(canonicalHost, port);
    }

    /**
     * Validates a host (DNS name, IPv4 literal or bracketed IPv6 literal) and returns its
     * canonical spelling.
     *
     * @throws InvalidExpressionException with a message naming the wrong piece, without context
     */
    static String canonicalHost(String host) throws InvalidExpressionException {
        if (host.isEmpty()) {
            throw problem("the host is missing");
        }
        if (host.charAt(0) == '[') {
            return canonicalIpv6(host);
        }
        if (isDigitsAndDots(host)) {
            return checkIpv4(host);
        }
        return canonicalName(host);
    }

    /**
     * Parses a decimal port 1-65535. Leading zeros are harmless here because the port is kept
     * as a number, so {@code 080} is simply 80.
     *
     * @throws InvalidExpressionException with a message naming the wrong piece, without context
     */
    static int parsePort(String text) throws InvalidExpressionException {
        if (text.isEmpty()) {
            throw problem("the port after ':' is empty");
        }
        if (!isAsciiDigits(text)) {
            throw problem("port " + Parts.quote(text) + " is not a number");
        }
        String significant = stripLeadingZeros(text);
        // Length first, so a 40-digit port cannot overflow the parse.
        int port = significant.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(significant);
        if (port < 1 || port > 65535) {
            throw problem("port " + Parts.truncate(text) + " is out of range 1-65535");
        }
        return port;
    }

    /** Whether the text is non-empty and all ASCII digits; {@code Character.isDigit} also
     * accepts other scripts' digits, which have no place in ports, octets or node ids. */
    static boolean isAsciiDigits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static String stripLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    private static String checkIpv4(String host) throws InvalidExpressionException {
        String[] octets = host.split("\\.", -1);
        if (octets.length != 4) {
            throw problem(Parts.quote(host) + " is not an IPv4 address (four decimal octets 0-255)");
        }
        for (String octet : octets) {
            if (octet.isEmpty()) {
                throw problem(Parts.quote(host) + " is not an IPv4 address (four decimal octets 0-255)");
            }
            if (octet.length() > 1 && octet.charAt(0) == '0') {
                throw problem("octet " + Parts.quote(octet) + " of " + Parts.quote(host)
                        + " has a leading zero, which some systems read as octal");
            }
            if (octet.length() > 3 || Integer.parseInt(octet) > 255) {
                throw problem("octet " + Parts.quote(octet) + " of " + Parts.quote(host) + " is out of range 0-255");
            }
        }
        return host;
    }

    private static String canonicalName(String host) throws InvalidExpressionException {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7f) {
                throw problem("host " + Parts.quote(host) + " has non-ASCII characters" + asciiHint(name));
            }
            if (!(isLetterOrDigit(c) || c == '-' || c == '.')) {
                throw problem("host " + Parts.quote(host) + " contains " + Parts.describe(c)
                        + " (a host name has only letters, digits, '-' and '.')");
            }
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw problem("host " + Parts.quote(host) + " is longer than " + MAX_NAME_LENGTH + " characters");
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty()) {
                throw problem("host " + Parts.quote(host) + " has an empty label");
            }
            if (label.length() > MAX_LABEL_LENGTH) {
                throw problem("label " + Parts.quote(label) + " is longer than " + MAX_LABEL_LENGTH
                        + " characters");
            }
            if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
                throw problem("label " + Parts.quote(label) + " starts or ends with '-'");
            }
        }
        return name.toLowerCase(Locale.ROOT);
    }

    private static String asciiHint(String name) {
        try {
            return "; use its ASCII form '" + IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES) + "'";
        } catch (IllegalArgumentException notConvertible) {
            return "";
        }
    }

    private static String canonicalIpv6(String bracketed) throws InvalidExpressionException {
        if (bracketed.length() < 2 || bracketed.charAt(bracketed.length() - 1) != ']') {
            throw problem("IPv6 literal " + Parts.quote(bracketed) + " is missing its closing ']'");
        }
        String literal = bracketed.substring(1, bracketed.length() - 1);
        if (literal.indexOf('%') >= 0) {
            throw problem("IPv6 zone ids ('%...') are not supported in " + Parts.quote(bracketed));
        }
        // The character check matters for safety, not only for the message: with only hex digits,
        // ':' and '.', and the brackets kept, InetAddress parses a literal and never looks up a name.
        if (literal.length() > MAX_IPV6_LENGTH || literal.indexOf(':') < 0 || !isIpv6Characters(literal)) {
            throw problem(Parts.quote(bracketed) + " is not a valid IPv6 address");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bracketed);
        } catch (UnknownHostException invalid) {
            throw problem(Parts.quote(bracketed) + " is not a valid IPv6 address");
        }
        return "[" + formatIpv6(address) + "]";
    }

    /**
     * RFC 5952 text: lower-case hex, no leading zeros, the longest run of two or more zero groups
     * (the first one on a tie) written as "::". IPv4-mapped addresses, which the JDK hands back
     * as {@link Inet4Address}, keep their {@code ::ffff:a.b.c.d} form as RFC 5952 §5 recommends.
     */
    private static String formatIpv6(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return "::ffff:" + address.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static boolean isIpv6Characters(String literal) {
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex && c != ':' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigitsAndDots(String host) {
        boolean digit = false;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
            digit |= c != '.';
        }
        return digit;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static InvalidExpressionException problem(String message) {
        return new InvalidExpressionException(message);
    }
}
