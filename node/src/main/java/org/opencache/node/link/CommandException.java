package org.opencache.node.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.opencache.common.protocol.RpcError;

/**
 * A command the node refuses or fails, with the JSON-RPC error the controller receives: its
 * message and data become the failure reason the operator reads in the API's {@code -32001}.
 */
public final class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final transient JsonNode data;

    /**
     * @param code    JSON-RPC code, e.g. {@link RpcError#INVALID_PARAMS}
     * @param message the short, standard message for the code
     * @param data    what exactly is wrong; may be null
     */
    public CommandException(int code, String message, JsonNode data) {
        super(message);
        this.code = code;
        this.data = data;
    }

    /** An invalid-params error ({@code -32602}) whose data says which parameter is wrong and why. */
    public static CommandException invalidParams(String detail) {
        return new CommandException(RpcError.INVALID_PARAMS, "Invalid params", TextNode.valueOf(detail));
    }

    /** The JSON-RPC error code. */
    public int code() {
        return code;
    }

    /** The error's details, or null. */
    public JsonNode data() {
        return data;
    }

    /** The error object sent to the controller. */
    public RpcError toError() {
        return new RpcError(code, getMessage(), data);
    }
}
