package org.opencache.controller.api;

import org.opencache.common.expr.ClientText;
import org.opencache.common.protocol.RpcError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.googlecode.jsonrpc4j.JsonRpcParam;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks one JSON-RPC request object against the envelope rules of JSON-RPC 2.0 and the
 * parameters of {@link OpenCacheApi}, so that every malformed request gets its own error code
 * and a {@code data} that says what to fix. jsonrpc4j then only sees well-formed requests, with
 * every parameter present (missing optional ones as {@code null}).
 */
final class RequestValidator {

    /**
     * Other names of a parameter, accepted wherever the parameter is: the original OpenCache's
     * client sends {@code node} for {@code node-id}. Both in one request must agree.
     */
    private static final Map<String, String> ALIASES = Map.of("node", "node-id");

    /** String parameters that may also be sent as a non-negative JSON integer. */
    private static final Set<String> NUMBERS_AS_TEXT = Set.of("node-id", "step");

    /** Method name → parameter name → Java type, read from {@link OpenCacheApi}. */
    private final Map<String, Map<String, Class<?>>> methods;

    RequestValidator(Class<?> api) {
        Map<String, Map<String, Class<?>>> found = new TreeMap<>();
        for (Method method : api.getMethods()) {
            Map<String, Class<?>> params = new LinkedHashMap<>();
            for (Parameter parameter : method.getParameters()) {
                params.put(parameter.getAnnotation(JsonRpcParam.class).value(), parameter.getType());
            }
            found.put(method.getName(), params);
        }
        this.methods = found;
    }

    /** Either an error response for the caller, or the request normalised for dispatch. */
    sealed interface Verdict {
    }

    /** The request is well-formed; {@link #request()} has every parameter of its method. */
    record Valid(ObjectNode request) implements Verdict {
    }

    /** The request is malformed; {@link #error()} is the response to send (if it had an id). */
    record Invalid(ObjectNode error) implements Verdict {
    }

    Verdict validate(JsonNode node) {
        if (!node.isObject()) {
            return new Invalid(RpcErrors.invalidRequest(null,
                    "a request must be a JSON object, not " + describe(node)));
        }
        ObjectNode request = (ObjectNode) node;
        JsonNode id = request.get("id");
        if (id != null && !(id.isTextual() || id.isNumber() || id.isNull())) {
            return new Invalid(RpcErrors.invalidRequest(null, "'id' must be a string, a number or null"));
        }
        JsonNode version = request.get("jsonrpc");
        if (version == null || !version.isTextual() || !version.asText().equals("2.0")) {
            return new Invalid(RpcErrors.invalidRequest(id,
                    "'jsonrpc' must be \"2.0\"" + (version == null ? " (it is missing)"
                            : ", not " + ClientText.echo(version.toString()))));
        }
        JsonNode method = request.get("method");
        if (method == null || !method.isTextual()) {
            return new Invalid(RpcErrors.invalidRequest(id, method == null
                    ? "'method' is missing" : "'method' must be a string, not " + describe(method)));
        }
        Map<String, Class<?>> params = methods.get(method.asText());
        if (params == null) {
            return new Invalid(RpcErrors.response(id, RpcError.METHOD_NOT_FOUND, "Method not found",
                    "unknown method '" + ClientText.echo(method.asText()) + "'; methods: " + String.join(", ", methods.keySet())));
        }
        Optional<String> problem = checkParams(method.asText(), params, request);
        if (problem.isPresent()) {
            return new Invalid(RpcErrors.response(id, RpcError.INVALID_PARAMS, "Invalid params", problem.get()));
        }
        return new Valid(request);
    }

    /** Checks names and types and rewrites {@code params} to a complete object; empty if fine. */
    private Optional<String> checkParams(String method, Map<String, Class<?>> spec, ObjectNode request) {
        JsonNode given = request.get("params");
        if (given != null && !given.isNull() && !given.isObject()) {
            return Optional.of("params must be an object of named parameters ("
                    + String.join(", ", spec.keySet()) + "), not " + describe(given));
        }
        ObjectNode complete = request.objectNode();
        for (String name : spec.keySet()) {
            complete.set(name, NullNode.getInstance());
        }
        Map<String, String> spelledAs = new HashMap<>();
        if (given != null && given.isObject()) {
            for (Map.Entry<String, JsonNode> param : given.properties()) {
                String name = ALIASES.getOrDefault(param.getKey(), param.getKey());
                Class<?> type = spec.get(name);
                if (type == null) {
                    return Optional.of("unknown parameter '" + ClientText.echo(param.getKey()) + "'; " + method
                            + " takes " + (spec.isEmpty() ? "none" : String.join(", ", spec.keySet())));
                }
                Optional<JsonNode> value = coerce(name, type, param.getValue());
                if (value.isEmpty()) {
                    return Optional.of("parameter '" + param.getKey() + "' must be "
                            + expected(method, name, type)
                            + ", not " + describe(param.getValue()));
                }
                String other = spelledAs.put(name, param.getKey());
                JsonNode earlier = complete.get(name);
                if (other != null && !earlier.isNull() && !value.get().isNull() && !earlier.equals(value.get())) {
                    return Optional.of("'" + other + "' and '" + param.getKey() + "' are the same parameter ('node' is"
                            + " the original OpenCache's name for 'node-id') but differ: " + ClientText.echo(earlier.toString())
                            + " and " + ClientText.echo(value.get().toString()) + "; send one of them");
                }
                if (other == null || !value.get().isNull()) {
                    complete.set(name, value.get());
                }
            }
        }
        request.set("params", complete);
        return Optional.empty();
    }

    /** The value as the method's Java type expects it, or empty if it cannot be one. */
    private static Optional<JsonNode> coerce(String name, Class<?> type, JsonNode value) {
        if (value.isNull()) {
            return Optional.of(value);
        }
        if (type == String.class) {
            if (value.isTextual()) {
                return Optional.of(value);
            }
            // Node ids are integers, and history's step is seconds: scripts naturally send "node-id": 3, "step": 60.
            if (NUMBERS_AS_TEXT.contains(name) && value.canConvertToInt() && value.isIntegralNumber()
                    && value.asInt() >= 0) {
                return Optional.of(TextNode.valueOf(value.asText()));
            }
            return Optional.empty();
        }
        if (type == Long.class) {
            return value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0
                    ? Optional.of(value) : Optional.empty();
        }
        if (type == Boolean.class) {
            return value.isBoolean() ? Optional.of(value) : Optional.empty();
        }
        throw new IllegalStateException("OpenCacheApi uses a parameter type the validator does not know: " + type);
    }

    private static String expected(String method, String name, Class<?> type) {
        if (name.equals("node-id")) {
            // forget names its nodes: '*' would erase the whole fleet's records in one call.
            return method.equals("forget") ? "a node id or a '|'-list of node ids"
                    : "a node id, a '|'-list of node ids or \"*\"";
        }
        if (name.equals("step")) {
            return "a number of seconds or a duration such as \"5m\"";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        return type == Long.class ? "a non-negative integer (seconds)" : "a string";
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "the number " + ClientText.echo(node.asText());
            case BOOLEAN -> node.asText();
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
