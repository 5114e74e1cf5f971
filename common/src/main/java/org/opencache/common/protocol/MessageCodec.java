package org.opencache.common.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.opencache.common.expr.ExpressionList;
import org.opencache.common.expr.InvalidExpressionException;
import org.opencache.common.expr.ResolvedUrlList;
import org.opencache.common.json.Json;

/**
 * Reads and writes link frames: the one place that knows the JSON-RPC 2.0 envelope (see the
 * package documentation), and the one place that turns params and results into payload records
 * and {@link Command}s.
 *
 * <p>Decoding is strict, and every rejection says what is wrong and where, because the only
 * witness of a malformed frame is the receiver's log line.
 */
public final class MessageCodec {
    private static final String VERSION = "2.0";
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final String EXPR = "expr";
    private static final String HORIZON = "horizon";
    private static final String URL = "url";
    private static final String PREFIX = "prefix";

    private MessageCodec() {
    }

    /** The frame for {@code message}. */
    public static byte[] encode(Message message) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("jsonrpc", VERSION);
        switch (message) {
            case Message.Request request -> {
                root.put("id", request.id());
                root.put("method", request.method());
                root.set("params", request.params());
            }
            case Message.Notification notification -> {
                root.put("method", notification.method());
                root.set("params", notification.params());
            }
            case Message.Result result -> {
                root.put("id", result.id());
                root.set("result", result.result());
            }
            case Message.Failure failure -> {
                root.put("id", failure.id());
                ObjectNode error = root.putObject("error");
                error.put("code", failure.error().code());
                error.put("message", failure.error().message());
                if (failure.error().data() != null) {
                    error.set("data", failure.error().data());
                }
            }
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e); // a tree always writes
        }
    }

    /**
     * The message in {@code frame}.
     *
     * @throws MalformedMessageException when the frame is not JSON, not a JSON-RPC 2.0 object, or
     *                                   has a member of the wrong type; the message says which
     */
    public static Message decode(byte[] frame) throws MalformedMessageException {
        JsonNode root = parse(frame);
        JsonNode jsonrpc = root.get("jsonrpc");
        if (jsonrpc == null || !VERSION.equals(jsonrpc.textValue())) {
            throw malformed("'jsonrpc' must be \"2.0\", not " + describe(jsonrpc));
        }
        JsonNode method = root.get("method");
        if (method != null) {
            return decodeCall(root, method);
        }
        if (!root.has("id")) {
            throw malformed("neither 'method' nor 'id': not a request, notification or response");
        }
        long id = id(root.get("id"));
        boolean hasResult = root.has("result");
        boolean hasError = root.has("error");
        if (hasResult == hasError) {
            throw malformed("response " + id + " must carry exactly one of 'result' and 'error', it carries "
                    + (hasResult ? "both" : "neither"));
        }
        return hasResult ? new Message.Result(id, root.get("result"))
                : new Message.Failure(id, error(root.get("error")));
    }

    /**
     * Reads params or a result as a payload record, e.g. {@code read(params, Hello.class, "hello params")}.
     *
     * @param what names the value in the error, e.g. {@code hello params}
     * @throws MalformedMessageException naming the field that is missing or of the wrong type
     */
    public static <T> T read(JsonNode value, Class<T> type, String what) throws MalformedMessageException {
        try {
            return MAPPER.treeToValue(value, type);
        } catch (DatabindException e) {
            throw malformed(what + ": " + problem(value, e));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw malformed(what + ": " + e.getMessage());
        }
    }

    /** A payload record as params. */
    public static ObjectNode params(Object payload) {
        return MAPPER.valueToTree(payload);
    }

    /** A payload record (or any value) as a result. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** The link request that carries {@code command}. */
    public static Message.Request request(long id, Command command) {
        ObjectNode params = MAPPER.createObjectNode();
        switch (command) {
            case StartCommand start -> params.put(EXPR, start.expressions().canonical())
                    .put(HORIZON, start.horizon().toSeconds());
            case InstanceCommand instances -> params.put(EXPR, instances.expressions().canonical());
            case StatCommand stat -> params.put(EXPR, stat.expressions().canonical());
            case FetchCommand fetch -> params.put(EXPR, fetch.urls().canonical());
            case SeedCommand seed -> params.put(EXPR, seed.urls().canonical());
            case PurgeCommand purge -> {
                params.put(EXPR, purge.expressions().canonical());
                if (purge.urls() != null) {
                    params.put(URL, purge.urls().canonical());
                } else {
                    params.put(PREFIX, purge.prefixes().canonical());
                }
            }
        }
        return new Message.Request(id, command.method(), params);
    }

    /**
     * The command a request carries.
     *
     * @throws MalformedMessageException when the method is no command, or a param is missing or
     *                                   invalid; the message names the param ({@code expr: …})
     */
    public static Command command(Message.Request request) throws MalformedMessageException {
        ObjectNode params = request.params();
        return switch (request.method()) {
            case Methods.START -> new StartCommand(expressions(params), Duration.ofSeconds(horizon(params)));
            case Methods.STOP -> new StopCommand(expressions(params));
            case Methods.PAUSE -> new PauseCommand(expressions(params));
            case Methods.STAT -> new StatCommand(expressions(params));
            case Methods.FETCH -> new FetchCommand(urls(params));
            case Methods.SEED -> new SeedCommand(urls(params));
            case Methods.PURGE -> purge(params);
            default -> throw malformed("'" + request.method() + "' is not a command");
        };
    }

    /** An absent or null {@code expr} means {@code *}, as in the API. */
    private static ExpressionList expressions(ObjectNode params) throws MalformedMessageException {
        JsonNode expr = params.get(EXPR);
        try {
            return expr == null || expr.isNull() ? ExpressionList.all() : ExpressionList.parse(text(expr));
        } catch (InvalidExpressionException e) {
            throw malformed(EXPR + ": " + e.getMessage());
        }
    }

    /** A purge: {@code expr} and exactly one of {@code url} and {@code prefix}. */
    private static PurgeCommand purge(ObjectNode params) throws MalformedMessageException {
        boolean byUrl = present(params, URL);
        if (byUrl == present(params, PREFIX)) {
            throw malformed("purge takes exactly one of '" + URL + "' and '" + PREFIX + "'");
        }
        ResolvedUrlList list = urls(params, byUrl ? URL : PREFIX);
        return new PurgeCommand(expressions(params), byUrl ? list : null, byUrl ? null : list);
    }

    private static boolean present(ObjectNode params, String name) {
        JsonNode value = params.get(name);
        return value != null && !value.isNull();
    }

    private static ResolvedUrlList urls(ObjectNode params) throws MalformedMessageException {
        return urls(params, EXPR);
    }

    private static ResolvedUrlList urls(ObjectNode params, String name) throws MalformedMessageException {
        JsonNode expr = params.get(name);
        try {
            return ResolvedUrlList.parse(expr == null || expr.isNull() ? null : text(expr, name));
        } catch (InvalidExpressionException e) {
            throw malformed(name + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode expr) throws MalformedMessageException {
        return text(expr, EXPR);
    }

    private static String text(JsonNode value, String name) throws MalformedMessageException {
        if (!value.isTextual()) {
            throw malformed("'" + name + "' must be a string, not " + describe(value));
        }
        return value.textValue();
    }

    /** Seconds; absent means none. */
    private static long horizon(ObjectNode params) throws MalformedMessageException {
        JsonNode horizon = params.get(HORIZON);
        if (horizon == null || horizon.isNull()) {
            return 0;
        }
        if (!horizon.isIntegralNumber() || !horizon.canConvertToLong()) {
            throw malformed("'" + HORIZON + "' must be an integer (seconds), not " + describe(horizon));
        }
        return horizon.longValue();
    }

    private static JsonNode parse(byte[] frame) throws MalformedMessageException {
        JsonNode root;
        try {
            root = MAPPER.readTree(frame);
        } catch (JsonProcessingException e) {
            throw malformed("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw malformed("not JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw malformed("empty frame");
        }
        if (!root.isObject()) {
            throw malformed("not a JSON object but " + describe(root));
        }
        return root;
    }

    private static Message decodeCall(JsonNode root, JsonNode method) throws MalformedMessageException {
        if (!method.isTextual() || method.textValue().isEmpty()) {
            throw malformed("'method' must be a non-empty string, not " + describe(method));
        }
        if (root.has("result") || root.has("error")) {
            throw malformed("a call ('" + method.textValue() + "') cannot carry 'result' or 'error'");
        }
        JsonNode params = root.get("params");
        if (params == null) {
            params = MAPPER.createObjectNode();
        } else if (!params.isObject()) {
            throw malformed("'params' of '" + method.textValue() + "' must be an object (params by name), not "
                    + describe(params));
        }
        if (!root.has("id")) {
            return new Message.Notification(method.textValue(), (ObjectNode) params);
        }
        return new Message.Request(id(root.get("id")), method.textValue(), (ObjectNode) params);
    }

    private static long id(JsonNode id) throws MalformedMessageException {
        if (id == null || !id.isIntegralNumber() || !id.canConvertToLong()) {
            throw malformed("'id' must be an integer, not " + describe(id));
        }
        return id.longValue();
    }

    private static RpcError error(JsonNode error) throws MalformedMessageException {
        if (!error.isObject()) {
            throw malformed("'error' must be an object, not " + describe(error));
        }
        JsonNode code = error.get("code");
        if (code == null || !code.isIntegralNumber() || !code.canConvertToInt()) {
            throw malformed("'error.code' must be an integer, not " + describe(code));
        }
        JsonNode message = error.get("message");
        if (message == null || !message.isTextual()) {
            throw malformed("'error.message' must be a string, not " + describe(message));
        }
        JsonNode data = error.get("data");
        return new RpcError(code.intValue(), message.textValue(), data == null || data.isNull() ? null : data);
    }

    /** The shape of a JSON value for an error message: {@code a string ("x")}, {@code an array}, {@code missing}. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        return switch (node.getNodeType()) {
            case NULL -> "null";
            case STRING -> "a string (" + node + ")";
            case NUMBER -> "a number (" + node + ")";
            case BOOLEAN -> "a boolean (" + node + ")";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Jackson's complaint in our words: the field path, then what was expected and found
     * ({@code 'node_port' must be an integer, not a string ("x")}), or the record's own check.
     */
    private static String problem(JsonNode value, DatabindException e) {
        if (e.getCause() instanceof IllegalArgumentException check) {
            String path = e instanceof JsonMappingException mapping ? path(mapping.getPath()) : "";
            return path.isEmpty() || check.getMessage().contains("'" + path + "'") ? check.getMessage()
                    : "'" + path + "': " + check.getMessage();
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "'" + path(mismatch.getPath()) + "' must be " + kind(mismatch.getTargetType()) + ", not "
                    + describe(at(value, mismatch.getPath()));
        }
        return firstLine(e.getOriginalMessage());
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static JsonNode at(JsonNode value, List<JsonMappingException.Reference> references) {
        JsonNode node = value;
        for (JsonMappingException.Reference ref : references) {
            node = ref.getFieldName() != null ? node.path(ref.getFieldName()) : node.path(ref.getIndex());
        }
        return node;
    }

    private static String kind(Class<?> type) {
        if (type == int.class || type == long.class || type == short.class
                || type == Integer.class || type == Long.class || type == Short.class) {
            return "an integer";
        }
        if (type == double.class || type == float.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a boolean";
        }
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        return Collection.class.isAssignableFrom(type) || type.isArray() ? "an array" : "an object";
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static MalformedMessageException malformed(String detail) {
        return new MalformedMessageException(detail);
    }
}
