package org.opencache.common.tls;

/** A PEM file that cannot be used; the message says why, in words an operator can act on. */
public final class PemException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param problem what is wrong, e.g. {@code holds no CERTIFICATE block} */
    public PemException(String problem) {
        super(problem);
    }

    /** @param problem what is wrong; @param cause the failure behind it */
    public PemException(String problem, Throwable cause) {
        super(problem, cause);
    }
}
