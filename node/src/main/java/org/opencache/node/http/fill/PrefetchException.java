package org.opencache.node.http.fill;

/**
 * A {@code fetch} or {@code seed} that did not leave the object stored. The message names the URL
 * and the cause, e.g. {@code "fetch http://example.com/a failed: the origin could not be used:
 * Connection refused"}.
 */
public final class PrefetchException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the URL and the cause, in words an operator can act on */
    public PrefetchException(String message) {
        super(message);
    }
}
