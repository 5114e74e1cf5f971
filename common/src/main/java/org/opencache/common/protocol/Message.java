package org.opencache.common.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One frame on the controller–node link, in JSON-RPC 2.0 shape (see the package documentation).
 * {@link MessageCodec} is the only place that reads and writes them.
 */
public sealed interface Message permits Message.Request, Message.Notification, Message.Response {

    /**
     * A call that expects an answer with the same id.
     *
     * @param id     unique among the sender's outstanding requests
     * @param method e.g. {@code hello}, {@code start}
     * @param params named parameters (empty when the call has none)
     */
    record Request(long id, String method, ObjectNode params) implements Message {
        /** Requires a method and params. */
        public Request {
            requireMethodAndParams(method, params);
        }
    }

    /**
     * A message without id, that nobody answers ({@code stat}, {@code alert}).
     *
     * @param method e.g. {@code stat}
     * @param params named parameters
     */
    record Notification(String method, ObjectNode params) implements Message {
        /** Requires a method and params. */
        public Notification {
            requireMethodAndParams(method, params);
        }
    }

    /** The answer to a {@link Request}: a {@link Result} or a {@link Failure}, with the request's id. */
    sealed interface Response extends Message permits Result, Failure {
        /** The id of the request answered. */
        long id();
    }

    /**
     * A successful answer.
     *
     * @param id     the request's id
     * @param result any JSON value ({@link NullNode} for {@code null})
     */
    record Result(long id, JsonNode result) implements Response {
        /** A Java null becomes JSON {@code null}. */
        public Result {
            result = result == null ? NullNode.getInstance() : result;
        }
    }

    /**
     * A failed answer.
     *
     * @param id    the request's id
     * @param error what went wrong
     */
    record Failure(long id, RpcError error) implements Response {
        /** Requires an error. */
        public Failure {
            if (error == null) {
                throw new IllegalArgumentException("a failure needs an error");
            }
        }
    }

    private static void requireMethodAndParams(String method, ObjectNode params) {
        if (method == null || method.isEmpty()) {
            throw new IllegalArgumentException("a message needs a method");
        }
        if (params == null) {
            throw new IllegalArgumentException("a message needs params (an empty object when it has none)");
        }
    }
}
