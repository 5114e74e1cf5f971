package org.opencache.controller.api;

import org.opencache.common.protocol.RpcError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.googlecode.jsonrpc4j.JsonRpcBasicServer;
import java.util.Optional;
import org.opencache.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a request body into a response body: parses it, splits batches, validates each request
 * ({@link RequestValidator}) and lets jsonrpc4j bind parameters and invoke {@link OpenCacheApi}.
 * Transport-independent, so the HTTP handler stays about HTTP.
 */
final class RpcProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(RpcProcessor.class);

    private final RequestValidator validator = new RequestValidator(OpenCacheApi.class);
    private final Dispatcher dispatcher;

    RpcProcessor(OpenCacheApi api) {
        this.dispatcher = new Dispatcher(api);
    }

    /**
     * The response to a request body; empty when there is nothing to answer (only
     * notifications). Never throws: whatever goes wrong becomes a JSON-RPC error.
     */
    Optional<JsonNode> process(byte[] body) {
        try {
            return parseAndProcess(body);
        } catch (RuntimeException e) {
            LOG.error("JSON-RPC request failed unexpectedly", e);
            return Optional.of(RpcErrors.response(null, RpcError.INTERNAL_ERROR, "Internal error",
                    "internal error; the controller log has the details"));
        }
    }

    private Optional<JsonNode> parseAndProcess(byte[] body) {
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            return Optional.of(RpcErrors.parseError("the body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")")));
        } catch (java.io.IOException e) {
            return Optional.of(RpcErrors.parseError("the body could not be read: " + e.getMessage()));
        }
        if (parsed == null || parsed.isMissingNode()) {
            return Optional.of(RpcErrors.invalidRequest(null, "the body is empty; send a JSON-RPC 2.0 request object"));
        }
        if (!parsed.isArray()) {
            return processOne(parsed);
        }
        if (parsed.isEmpty()) {
            return Optional.of(RpcErrors.invalidRequest(null, "a batch must hold at least one request"));
        }
        ArrayNode responses = Json.mapper().createArrayNode();
        for (JsonNode request : parsed) {
            processOne(request).ifPresent(responses::add);
        }
        return responses.isEmpty() ? Optional.empty() : Optional.of(responses);
    }

    private Optional<JsonNode> processOne(JsonNode request) {
        boolean notification = request.isObject() && !request.has("id");
        JsonNode response = switch (validator.validate(request)) {
            case RequestValidator.Invalid invalid -> invalid.error();
            case RequestValidator.Valid valid -> dispatcher.dispatch(valid.request());
        };
        return notification || response == null ? Optional.empty() : Optional.of(response);
    }

    /** jsonrpc4j's server, used per request so batches and validation stay ours. */
    private static final class Dispatcher extends JsonRpcBasicServer {
        Dispatcher(OpenCacheApi api) {
            super(Json.mapper(), api, OpenCacheApi.class);
            setErrorResolver(new RpcErrorResolver());
            setShouldLogInvocationErrors(false);
        }

        JsonNode dispatch(ObjectNode request) {
            try {
                return handleJsonNodeRequest(request).getResponse();
            } catch (Exception e) {
                LOG.error("JSON-RPC dispatch failed for {}", request.get("method"), e);
                return RpcErrors.response(request.get("id"), RpcError.INTERNAL_ERROR, "Internal error",
                        "internal error; the controller log has the details");
            }
        }
    }
}
