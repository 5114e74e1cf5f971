package org.opencache.controller.api;

import org.opencache.common.protocol.RpcError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.googlecode.jsonrpc4j.JsonRpcBasicServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opencache.common.auth.TokenRole;
import org.opencache.common.expr.ClientText;
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
    private final int maxBatch;
    private final ApiMetrics metrics;

    /**
     * @param maxBatch the most requests one batch may hold ({@code max_batch}); a larger batch is
     *                 refused whole, before any of it runs
     * @param metrics  where every call is counted and timed
     */
    RpcProcessor(OpenCacheApi api, int maxBatch, ApiMetrics metrics) {
        this.dispatcher = new Dispatcher(api);
        this.maxBatch = maxBatch;
        this.metrics = metrics;
    }

    /**
     * What a request body gets.
     *
     * @param forbidden whether it was refused whole because the role may not call one of its
     *                  methods (HTTP 403); then nothing was executed
     * @param body      the response body; empty when there is nothing to answer (only notifications)
     */
    record Answer(boolean forbidden, Optional<JsonNode> body) {
    }

    /** {@link #process(byte[], TokenRole)} with every right, as when no tokens are configured. */
    Optional<JsonNode> process(byte[] body) {
        return process(body, TokenRole.ADMIN).body();
    }

    /**
     * The answer to a request body from a client acting as {@code role}. Every call of a batch is
     * checked against the role before any runs: one call the role may not make refuses the whole
     * body. Never throws: whatever goes wrong becomes a JSON-RPC error.
     */
    Answer process(byte[] body, TokenRole role) {
        try {
            return parseAndProcess(body, role);
        } catch (RuntimeException e) {
            LOG.error("JSON-RPC request failed unexpectedly", e);
            return new Answer(false, Optional.of(RpcErrors.response(null, RpcError.INTERNAL_ERROR, "Internal error",
                    "internal error; the controller log has the details")));
        }
    }

    private Answer parseAndProcess(byte[] body, TokenRole role) {
        List<String> methods = new ArrayList<>();
        JsonNode parsed = parse(body, methods);
        if (parsed != null && parsed.isArray() && parsed.size() > maxBatch) {
            // Refused before the role is checked or anything runs: one body, one bounded amount of work.
            return new Answer(false, Optional.of(RpcErrors.invalidRequest(null, "batch of " + parsed.size()
                    + " requests exceeds max_batch = " + maxBatch)));
        }
        Optional<String> refusal = Permissions.refusal(role, methods);
        if (refusal.isPresent()) {
            methods.forEach(metrics::forbidden);
            JsonNode id = parsed != null && parsed.isObject() ? parsed.get("id") : null;
            return new Answer(true, Optional.of(RpcErrors.forbidden(id, refusal.get())));
        }
        return new Answer(false, answer(parsed, body));
    }

    /** The parsed body (null when it is not JSON), collecting the methods its requests name. */
    private static JsonNode parse(byte[] body, List<String> methods) {
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(body);
        } catch (java.io.IOException e) {
            return null;
        }
        if (parsed != null) {
            for (JsonNode request : parsed.isArray() ? parsed : List.of(parsed)) {
                if (request.path("method").isTextual()) {
                    methods.add(request.get("method").asText());
                }
            }
        }
        return parsed;
    }

    private Optional<JsonNode> answer(JsonNode alreadyParsed, byte[] body) {
        if (alreadyParsed != null) {
            return answerParsed(alreadyParsed);
        }
        return parseAndProcess(body);
    }

    private Optional<JsonNode> parseAndProcess(byte[] body) {
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            // Jackson quotes the offending input; only so much of it goes back.
            return Optional.of(RpcErrors.parseError("the body is not valid JSON: " + ClientText.echo(e.getOriginalMessage())
                    + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")")));
        } catch (java.io.IOException e) {
            return Optional.of(RpcErrors.parseError("the body could not be read: " + ClientText.echo(String.valueOf(e.getMessage()))));
        }
        return answerParsed(parsed);
    }

    private Optional<JsonNode> answerParsed(JsonNode parsed) {
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
        long start = System.nanoTime();
        boolean notification = request.isObject() && !request.has("id");
        JsonNode response = switch (validator.validate(request)) {
            case RequestValidator.Invalid invalid -> invalid.error();
            case RequestValidator.Valid valid -> dispatcher.dispatch(valid.request());
        };
        metrics.called(request.path("method").asText(null),
                response != null && response.has("error") ? ApiMetrics.Outcome.ERROR : ApiMetrics.Outcome.OK,
                System.nanoTime() - start);
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
