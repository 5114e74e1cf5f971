package org.opencache.controller.api;

import org.opencache.common.protocol.RpcError;
/**
 * An error an API method reports to its caller as a JSON-RPC error object. {@link #data()} is
 * serialised as the error's {@code data} member and should tell an operator exactly what to fix.
 */
public class RpcException extends RuntimeException {
    private static final long serialVersionUID = 1L;


    private final int code;
    private final transient Object data;

    /**
     * @param code    the JSON-RPC error code
     * @param message the short, standard message for the code
     * @param data    the details: a string or a JSON-serialisable value
     */
    public RpcException(int code, String message, Object data) {
        super(message);
        this.code = code;
        this.data = data;
    }

    /** An invalid-params error whose data says which parameter is wrong and why. */
    public static RpcException invalidParams(String detail) {
        return new RpcException(RpcError.INVALID_PARAMS, "Invalid params", detail);
    }

    /** The JSON-RPC error code. */
    public int code() {
        return code;
    }

    /** The error's {@code data} member. */
    public Object data() {
        return data;
    }
}
