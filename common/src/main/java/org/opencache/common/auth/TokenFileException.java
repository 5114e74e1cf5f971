package org.opencache.common.auth;

/**
 * A token file that cannot be used. The message says where (line number) and what is wrong,
 * and never contains a secret.
 */
public final class TokenFileException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param problem what is wrong, e.g. {@code line 3: unknown role 'root' (use read or admin)} */
    public TokenFileException(String problem) {
        super(problem);
    }

    /** @param problem what is wrong; @param cause the I/O failure behind it */
    public TokenFileException(String problem, Throwable cause) {
        super(problem, cause);
    }
}
