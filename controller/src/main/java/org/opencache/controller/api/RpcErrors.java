package org.opencache.controller.api;

import org.opencache.common.protocol.RpcError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opencache.common.json.Json;

/**
 * JSON-RPC 2.0 error responses built by the API itself (before a request reaches a method), in
 * the same shape jsonrpc4j gives the errors of the methods.
 */
final class RpcErrors {
    /** No or wrong credentials (HTTP 401). */
    static final int UNAUTHORIZED = -32003;
    /** The token's role may not call a method of the request (HTTP 403). */
    static final int FORBIDDEN = -32004;

    private RpcErrors() {
    }

    /** {@code {"jsonrpc": "2.0", "id": id, "error": {"code", "message", "data"}}}. */
    static ObjectNode response(JsonNode id, int code, String message, Object data) {
        ObjectNode response = Json.mapper().createObjectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", id == null ? NullNode.getInstance() : id);
        ObjectNode error = response.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.set("data", Json.mapper().valueToTree(data));
        return response;
    }

    static ObjectNode parseError(String detail) {
        return response(null, RpcError.PARSE_ERROR, "Parse error", detail);
    }

    static ObjectNode unauthorized(String detail) {
        return response(null, UNAUTHORIZED, "Unauthorized", detail);
    }

    static ObjectNode forbidden(JsonNode id, String detail) {
        return response(id, FORBIDDEN, "Forbidden", detail);
    }

    static ObjectNode invalidRequest(JsonNode id, String detail) {
        return response(id, RpcError.INVALID_REQUEST, "Invalid Request", detail);
    }
}
