package org.opencache.common.expr;

/**
 * An expression, URL list or node selector that does not follow the grammar of docs/design.md §4.
 * {@link #getMessage()} names the offending part and what is wrong with it, in words an operator
 * can act on, e.g.
 * {@code "part 2 of 'a.com|b.com:99999': port 99999 is out of range 1-65535"}.
 */
public final class InvalidExpressionException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message which part is wrong and why */
    public InvalidExpressionException(String message) {
        super(message);
    }
}
