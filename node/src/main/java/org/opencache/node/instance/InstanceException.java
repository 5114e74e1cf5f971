package org.opencache.node.instance;

/** A command on instances could not be carried out; the message says why, for the operator. */
public final class InstanceException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and why */
    public InstanceException(String message) {
        super(message);
    }
}
