package org.opencache.common.expr;

/**
 * The one grammar of what every method's {@code expr} names: {@code [http://]host[:port][rest]},
 * where {@code rest} starts at the first {@code '/'}, {@code '?'} or {@code '#'}. The original
 * OpenCache wrote URLs without a scheme ({@code example.com/a}: its client split on the first
 * {@code '/'} and opened plain HTTP to the first part), while most tools write {@code http://};
 * both mean the same here, for expressions and fetch URLs alike. Any other scheme is refused:
 * only plain HTTP passes through a cache that is not a party to TLS.
 *
 * <p>A {@code "://"} counts as a scheme only before the first {@code '/'}, so
 * {@code example.com/a://b} is a host with an odd but valid path.
 */
final class TargetSyntax {

    private TargetSyntax() {
    }

    /**
     * A parsed {@code host[:port]} and what follows it.
     *
     * @param hostPort canonical host and port (80 when none is given)
     * @param rest     "" or the text from the first {@code '/'}, {@code '?'} or {@code '#'} on,
     *                 as given, for the caller's own rules (a prefix, or a path and query)
     */
    record Target(HostSyntax.HostPort hostPort, String rest) {
    }

    /**
     * Splits a stripped, non-empty part without whitespace or {@code '|'}.
     *
     * @throws InvalidExpressionException with a message naming the wrong piece, without context
     */
    static Target parse(String part) throws InvalidExpressionException {
        String unschemed = withoutScheme(part);
        int restStart = Parts.indexOfAny(unschemed, "/?#");
        String authority = restStart < 0 ? unschemed : unschemed.substring(0, restStart);
        String rest = restStart < 0 ? "" : unschemed.substring(restStart);
        return new Target(HostSyntax.parseAuthority(authority), rest);
    }

    /** The part without a leading {@code http://} (any case); other schemes are refused. */
    private static String withoutScheme(String part) throws InvalidExpressionException {
        int firstSlash = part.indexOf('/');
        if (firstSlash < 2 || part.charAt(firstSlash - 1) != ':') {
            return part;
        }
        String scheme = part.substring(0, firstSlash - 1);
        boolean twoSlashes = part.startsWith("//", firstSlash);
        if (twoSlashes && scheme.equalsIgnoreCase("http")) {
            return part.substring(firstSlash + 2);
        }
        if (twoSlashes && isScheme(scheme)) {
            throw new InvalidExpressionException("only plain HTTP is cached: write 'http://' or no scheme, not "
                    + Parts.quote(scheme + "://"));
        }
        if (!twoSlashes && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new InvalidExpressionException("malformed scheme " + Parts.quote(scheme + ":/")
                    + "; write 'http://host/path' or 'host/path'");
        }
        return part;
    }

    private static boolean isScheme(String text) {
        if (text.isEmpty() || !isAsciiLetter(text.charAt(0))) {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
