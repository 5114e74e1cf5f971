package org.opencache.common.protocol;

import java.util.List;
import java.util.Objects;

/**
 * Checks shared by the payload records. They throw {@link IllegalArgumentException} naming the
 * field, which {@link MessageCodec#read} turns into a {@link MalformedMessageException}.
 */
final class Payloads {
    private Payloads() {
    }

    static void require(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing '" + field + "'");
        }
    }

    static void requireNodeId(int nodeId) {
        if (nodeId < 1) {
            throw new IllegalArgumentException("'node-id' must be a positive integer, not " + nodeId);
        }
    }

    /** An immutable copy; a missing list is empty, a null element an error. */
    static <T> List<T> elements(List<T> list, String field) {
        if (list == null) {
            return List.of();
        }
        if (list.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("'" + field + "' contains null");
        }
        return List.copyOf(list);
    }

    /** {@link #elements} of instance states, each with an expression and a status. */
    static List<InstanceState> instances(List<InstanceState> list, String field) {
        List<InstanceState> copy = elements(list, field);
        for (InstanceState instance : copy) {
            require(instance.expr(), field + "[].expr");
            require(instance.status(), field + "[].status");
        }
        return copy;
    }
}
