package org.opencache.common.protocol;

/**
 * A frame or a payload that does not follow the protocol. The message says exactly what is wrong
 * ({@code id must be an integer, not a string}), so the log line of the receiver is enough to fix
 * the sender.
 */
public final class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * A rejection saying what is wrong.
     *
     * @param detail what is wrong with the message, e.g. {@code 'id' must be an integer, not null}
     */
    public MalformedMessageException(String detail) {
        super(detail);
    }
}
