package org.opencache.common.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The {@code error} member of a JSON-RPC 2.0 response on the controller–node link.
 *
 * <pre>{"code": -32602, "message": "Invalid params", "data": "expr: 'exa mple.com' is not a host"}</pre>
 *
 * @param code    a JSON-RPC code: the standard ones below, or {@link #UNKNOWN_NODE}
 * @param message short, fixed text for the code
 * @param data    details for an operator; {@code null} when there are none
 */
public record RpcError(int code, String message, JsonNode data) {
    /** The body is not JSON. */
    public static final int PARSE_ERROR = -32700;
    /** The request is not a valid JSON-RPC request. */
    public static final int INVALID_REQUEST = -32600;
    /** No such method. */
    public static final int METHOD_NOT_FOUND = -32601;
    /** The params are missing, of the wrong type or invalid. */
    public static final int INVALID_PARAMS = -32602;
    /** The receiver failed (a bug, or a resource it needs is unavailable). */
    public static final int INTERNAL_ERROR = -32603;
    /**
     * The controller does not know the sender (it restarted, or declared the node down): the node
     * must say {@code hello} again before anything else.
     */
    public static final int UNKNOWN_NODE = -32002;
    /** Not every node targeted by an API command acknowledged it (docs/design.md §4). */
    public static final int COMMAND_FAILED = -32001;
    /** A node refused or could not carry out a command it understood (e.g. no free port). */
    public static final int NODE_COMMAND_FAILED = -32000;

    /** Requires a message; {@code data} may be null. */
    public RpcError {
        if (message == null) {
            throw new IllegalArgumentException("an error needs a message");
        }
    }

    /** An error whose data is a text. */
    public static RpcError of(int code, String message, String data) {
        return new RpcError(code, message, data == null ? null : TextNode.valueOf(data));
    }

    /** Invalid params, saying which and why. */
    public static RpcError invalidParams(String detail) {
        return of(INVALID_PARAMS, "Invalid params", detail);
    }

    /** An internal error, saying what failed. */
    public static RpcError internal(String detail) {
        return of(INTERNAL_ERROR, "Internal error", detail);
    }

    /** The controller's answer to a node it does not know. */
    public static RpcError unknownNode(String detail) {
        return of(UNKNOWN_NODE, "Unknown node: say hello first", detail);
    }

    /** The message followed by the data, e.g. {@code Invalid params: expr: 'x' is not a host}. */
    public String describe() {
        if (data == null || data.isNull()) {
            return message;
        }
        return message + ": " + (data.isTextual() ? data.asText() : data.toString());
    }
}
