package org.opencache.common.expr;

import java.net.URI;

/**
 * One fully resolved URL for {@code fetch} or {@code seed}: {@code [http://]host[:port]/path[?query]}.
 * The scheme may be left out, as the original OpenCache's clients do ({@code example.com/a}); only
 * plain HTTP is cached, so other schemes are refused ({@code TargetSyntax}, the grammar
 * expressions share), and so are fragments, which a client never sends to a server. The host
 * follows the same rules, and gets the same canonical spelling, as an {@link Expression}'s host.
 *
 * <p>Example: {@code HTTP://Example.com:80?q=1} parses to host {@code example.com}, port 80 and
 * pathAndQuery {@code /?q=1}, with canonical form {@code http://example.com/?q=1}; so does
 * {@code Example.com?q=1}.
 *
 * @param host         canonical host: lower-case name, IPv4 literal or bracketed IPv6 literal
 * @param port         1-65535, 80 when the URL names none
 * @param pathAndQuery the request target, starting with {@code '/'}, percent-encoded
 */
public record ResolvedUrl(String host, int port, String pathAndQuery) {

    /** Checks that the components are canonical, so equal URLs are equal records. */
    public ResolvedUrl {
        if (host == null || pathAndQuery == null) {
            throw new IllegalArgumentException("host and pathAndQuery must not be null");
        }
        try {
            if (!HostSyntax.canonicalHost(host).equals(host)) {
                throw new IllegalArgumentException("host " + Parts.quote(host) + " is not canonical");
            }
            if (pathAndQuery.indexOf('#') >= 0) {
                throw new IllegalArgumentException("a URL to fetch takes no fragment");
            }
            PathSyntax.checkPathAndQuery(pathAndQuery);
        } catch (InvalidExpressionException invalid) {
            throw new IllegalArgumentException(invalid.getMessage());
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
        }
    }

    /**
     * Parses one URL. Whitespace around it is ignored; a missing path becomes {@code /}.
     *
     * @param text {@code [http://]host[:port][/path][?query]}
     * @throws InvalidExpressionException naming the text and what is wrong with it
     */
    public static ResolvedUrl parse(String text) throws InvalidExpressionException {
        if (text == null) {
            throw new InvalidExpressionException("the URL is missing");
        }
        String part = Parts.strip(text);
        try {
            return parsePart(part);
        } catch (InvalidExpressionException problem) {
            throw new InvalidExpressionException(Parts.quote(part) + ": " + problem.getMessage());
        }
    }

    /** Parses a stripped, non-null part; the exception message says what, not where. */
    static ResolvedUrl parsePart(String part) throws InvalidExpressionException {
        if (part.isEmpty()) {
            throw new InvalidExpressionException("empty URL");
        }
        if (Parts.hasSpace(part)) {
            throw new InvalidExpressionException("whitespace inside a URL");
        }
        if (part.equals(Parts.ALL)) {
            throw new InvalidExpressionException(ResolvedUrlList.NOT_ALL);
        }
        if (part.indexOf(Parts.SEPARATOR) >= 0) {
            throw new InvalidExpressionException("'|' separates URLs and cannot appear inside one");
        }
        TargetSyntax.Target parsed = TargetSyntax.parse(part);
        HostSyntax.HostPort hostPort = parsed.hostPort();
        String target = parsed.rest();
        int fragment = target.indexOf('#');
        if (fragment >= 0) {
            throw new InvalidExpressionException("a URL to fetch takes no fragment ("
                    + Parts.quote(target.substring(fragment)) + ")");
        }
        String pathAndQuery = target.isEmpty() || target.charAt(0) == '?' ? "/" + target : target;
        PathSyntax.checkPathAndQuery(pathAndQuery);
        return new ResolvedUrl(hostPort.host(), hostPort.port(), pathAndQuery);
    }

    /** The URL as a {@link URI}; always valid, because every component has been checked. */
    public URI uri() {
        return URI.create(canonical());
    }

    /**
     * The one spelling of this URL: {@code http://}, lower-case host, {@code :port} only when not
     * 80, then the path and query as given. Equal URLs have equal canonical strings.
     */
    public String canonical() {
        return "http://" + host + (port == HostSyntax.DEFAULT_PORT ? "" : ":" + port) + pathAndQuery;
    }

    /** The {@link #canonical()} form. */
    @Override
    public String toString() {
        return canonical();
    }
}
