package org.opencache.common.expr;

/**
 * One OpenCache expression, {@code [http://]host[:port][/path-prefix]}, or the wildcard {@code *}
 * for all HTTP traffic (docs/design.md §4). An expression names what one cache instance serves.
 * The optional {@code http://} follows {@code TargetSyntax}, the grammar fetch URLs share; it is
 * not part of the canonical form.
 *
 * <p>Values are always canonical, so {@code Example.COM:80/a} and {@code example.com/a} are equal
 * and have the same {@link #canonical()} string, which is used as a database key. See
 * {@code HostSyntax} for the host rules; the path prefix is kept as given (only a lone {@code /}
 * becomes ""), so {@code /a} and {@code /a/} are different expressions.
 *
 * <p>The compact constructor rejects non-canonical components with an
 * {@link IllegalArgumentException}; operator input goes through {@link #parse(String)}, which
 * throws the checked {@link InvalidExpressionException} instead.
 *
 * @param host       canonical host: lower-case name, IPv4 literal, bracketed IPv6 literal, or
 *                   {@code "*"} for the wildcard
 * @param port       1-65535; 80 when the expression names none, and 80 for the wildcard, which
 *                   steers port 80 (its {@link #covers} ignores the port all the same)
 * @param pathPrefix "" for none, else starts with {@code '/'} and is percent-encoded
 */
public record Expression(String host, int port, String pathPrefix) {

    /** The wildcard {@code *}: all HTTP traffic. */
    public static final Expression WILDCARD = new Expression(Parts.ALL, HostSyntax.DEFAULT_PORT, "");

    /** Checks that the components are canonical, so two equal expressions are equal records. */
    public Expression {
        if (host == null || pathPrefix == null) {
            throw new IllegalArgumentException("host and pathPrefix must not be null");
        }
        if (host.equals(Parts.ALL)) {
            if (port != HostSyntax.DEFAULT_PORT || !pathPrefix.isEmpty()) {
                throw new IllegalArgumentException("the wildcard '*' takes no port or path");
            }
        } else {
            try {
                if (!HostSyntax.canonicalHost(host).equals(host)) {
                    throw new IllegalArgumentException("host " + Parts.quote(host) + " is not canonical");
                }
                if (!pathPrefix.isEmpty()) {
                    PathSyntax.checkPrefix(pathPrefix);
                }
            } catch (InvalidExpressionException invalid) {
                throw new IllegalArgumentException(invalid.getMessage());
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
            }
            if (pathPrefix.equals("/")) {
                throw new IllegalArgumentException("path prefix '/' is written as \"\"");
            }
        }
    }

    /**
     * Parses one expression. Whitespace around it is ignored; a {@code '|'} list is not an
     * expression (see {@link ExpressionList}).
     *
     * @param text {@code [http://]host[:port][/path-prefix]} or {@code *}
     * @return the expression, in canonical form
     * @throws InvalidExpressionException naming the text and what is wrong with it
     */
    public static Expression parse(String text) throws InvalidExpressionException {
        if (text == null) {
            throw new InvalidExpressionException("the expression is missing; use '*' for all traffic");
        }
        String part = Parts.strip(text);
        try {
            return parsePart(part);
        } catch (InvalidExpressionException problem) {
            throw new InvalidExpressionException(Parts.quote(part) + ": " + problem.getMessage());
        }
    }

    /** Parses a stripped, non-null part; the exception message says what, not where. */
    static Expression parsePart(String part) throws InvalidExpressionException {
        if (part.isEmpty()) {
            throw new InvalidExpressionException("empty expression; use '*' for all traffic");
        }
        if (Parts.hasSpace(part)) {
            throw new InvalidExpressionException("whitespace inside an expression");
        }
        if (part.equals(Parts.ALL)) {
            return WILDCARD;
        }
        if (part.startsWith("*:") || part.startsWith("*/")) {
            throw new InvalidExpressionException("the wildcard '*' takes no port or path");
        }
        if (part.indexOf(Parts.SEPARATOR) >= 0) {
            throw new InvalidExpressionException("'|' separates expressions and cannot appear inside one");
        }
        TargetSyntax.Target target = TargetSyntax.parse(part);
        HostSyntax.HostPort hostPort = target.hostPort();
        String path = target.rest();
        if (!path.isEmpty()) {
            PathSyntax.checkPrefix(path);
        }
        return new Expression(hostPort.host(), hostPort.port(), path.equals("/") ? "" : path);
    }

    /** Whether this is {@code *}, all HTTP traffic. */
    public boolean isWildcard() {
        return host.equals(Parts.ALL);
    }

    /**
     * The one spelling of this expression: lower-case host, {@code :port} only when not 80, IPv6
     * in brackets, path prefix as given. Equal expressions have equal canonical strings.
     */
    public String canonical() {
        if (isWildcard()) {
            return Parts.ALL;
        }
        return port == HostSyntax.DEFAULT_PORT ? host + pathPrefix : host + ":" + port + pathPrefix;
    }

    /** The {@link #canonical()} form. */
    @Override
    public String toString() {
        return canonical();
    }

    /**
     * Whether a request for {@code host:port} and {@code path} falls under this expression. The
     * wildcard covers everything. The host is compared the way {@link #parse} would spell it, so
     * {@code Example.com.} or an unbracketed or uncompressed IPv6 address still match. The prefix
     * matches whole path segments: {@code /videos} covers {@code /videos} and {@code /videos/a}
     * but not {@code /videosx}. A query or fragment on {@code path} is ignored.
     *
     * @param host the request's host, as in a Host header or a URI
     * @param port the request's port
     * @param path the request's path; null or "" count as {@code /}
     */
    public boolean covers(String host, int port, String path) {
        if (isWildcard()) {
            return true;
        }
        return port == this.port && hostMatches(host) && pathMatches(path);
    }

    private boolean hostMatches(String requestHost) {
        if (requestHost == null || requestHost.isEmpty()) {
            return false;
        }
        String name = requestHost.endsWith(".") ? requestHost.substring(0, requestHost.length() - 1) : requestHost;
        if (asciiEqualsIgnoreCase(name, host)) {
            return true;
        }
        if (host.charAt(0) != '[' || requestHost.indexOf(':') < 0) {
            return false;
        }
        // An IPv6 address has many spellings; only the parsed form can be compared.
        String bracketed = requestHost.charAt(0) == '[' ? requestHost : "[" + requestHost + "]";
        try {
            return HostSyntax.canonicalHost(bracketed).equals(host);
        } catch (InvalidExpressionException notAnAddress) {
            return false;
        }
    }

    private boolean pathMatches(String requestPath) {
        if (pathPrefix.isEmpty()) {
            return true;
        }
        String path = requestPath == null || requestPath.isEmpty() ? "/" : requestPath;
        int end = Parts.indexOfAny(path, "?#");
        if (end >= 0) {
            path = path.substring(0, end);
        }
        if (!path.startsWith(pathPrefix)) {
            return false;
        }
        return path.length() == pathPrefix.length()
                || pathPrefix.endsWith("/")
                || path.charAt(pathPrefix.length()) == '/';
    }

    // String.equalsIgnoreCase folds non-ASCII letters too (the Kelvin sign equals 'k'), which
    // would let a host that parse() rejects match.
    private static boolean asciiEqualsIgnoreCase(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y && (x > 0x7f || y > 0x7f || Character.toLowerCase(x) != Character.toLowerCase(y))) {
                return false;
            }
        }
        return true;
    }
}
