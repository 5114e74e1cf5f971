package org.opencache.common.expr;

/**
 * What a path prefix (in an expression) and a path with query (in a fetch URL) may contain:
 * the RFC 3986 characters, with everything else percent-encoded. Being strict here is what lets
 * a prefix be compared byte for byte with the request target a client sends on the wire, which
 * is always in this form.
 */
final class PathSyntax {

    private PathSyntax() {
    }

    /**
     * Checks the path prefix of an expression: starts with {@code '/'}, no query, no fragment.
     *
     * @throws InvalidExpressionException with a message naming the wrong piece, without context
     */
    static void checkPrefix(String path) throws InvalidExpressionException {
        int query = path.indexOf('?');
        if (query >= 0) {
            throw new InvalidExpressionException("an expression takes no query ("
                    + Parts.quote(path.substring(query)) + "), only a path prefix");
        }
        int fragment = path.indexOf('#');
        if (fragment >= 0) {
            throw new InvalidExpressionException("an expression takes no fragment ("
                    + Parts.quote(path.substring(fragment)) + ")");
        }
        checkCharacters(path, false);
    }

    /**
     * Checks the {@code /path[?query]} of a URL to fetch; the caller has already refused fragments.
     *
     * @throws InvalidExpressionException with a message naming the wrong piece, without context
     */
    static void checkPathAndQuery(String pathAndQuery) throws InvalidExpressionException {
        checkCharacters(pathAndQuery, true);
    }

    private static void checkCharacters(String text, boolean queryAllowed) throws InvalidExpressionException {
        if (text.isEmpty() || text.charAt(0) != '/') {
            throw new InvalidExpressionException("path " + Parts.quote(text) + " does not start with '/'");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length() || !isHex(text.charAt(i + 1)) || !isHex(text.charAt(i + 2))) {
                    throw new InvalidExpressionException(Parts.quote(text.substring(i, Math.min(i + 3, text.length())))
                            + " in " + Parts.quote(text) + " is not a valid percent-escape (%XX)");
                }
            } else if (c == Parts.SEPARATOR) {
                throw new InvalidExpressionException("'|' separates list parts and cannot appear inside one;"
                        + " percent-encode it as %7C");
            } else if (c > 0x7f) {
                throw new InvalidExpressionException("path " + Parts.quote(text)
                        + " has non-ASCII characters; percent-encode their UTF-8 bytes");
            } else if (!isPathCharacter(c) && !(queryAllowed && c == '?')) {
                throw new InvalidExpressionException("path " + Parts.quote(text) + " contains " + Parts.describe(c)
                        + "; percent-encode it as %" + String.format("%02X", (int) c));
            }
        }
    }

    // RFC 3986 pchar plus '/': unreserved, sub-delims, ':' and '@'. Percent-escapes are checked
    // by the caller.
    private static boolean isPathCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
