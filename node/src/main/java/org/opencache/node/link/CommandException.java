package org.opencache.node.link;

import org.opencache.common.protocol.RpcError;

/**
 * A command the node refuses or fails, with the JSON-RPC error the controller receives: its
 * message and data become the failure reason the operator reads in the API's {@code -32001}.
 */
public final class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient RpcError error;

    /**
     * A failure answered with {@code error}.
     *
     * @param error the error to answer, e.g. {@code RpcError.invalidParams("expr: …")}
     */
    public CommandException(RpcError error) {
        super(error.describe());
        this.error = error;
    }

    /** An invalid-params error ({@code -32602}) whose data says which parameter is wrong and why. */
    public static CommandException invalidParams(String detail) {
        return new CommandException(RpcError.invalidParams(detail));
    }

    /** The error object sent to the controller. */
    public RpcError error() {
        return error;
    }
}
