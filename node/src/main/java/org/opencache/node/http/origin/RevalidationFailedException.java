package org.opencache.node.http.origin;

/**
 * The origin failed while a stored response that must be revalidated ({@code must-revalidate},
 * {@code proxy-revalidate}, {@code s-maxage}, {@code no-cache}) was being revalidated: the client
 * gets a 504 (RFC 9111 §5.2.2.2), never the stale response.
 */
public final class RevalidationFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param cause why the origin could not be used */
    public RevalidationFailedException(Throwable cause) {
        super("a stored response must be revalidated and the origin could not be used: " + cause.getMessage(), cause);
    }
}
