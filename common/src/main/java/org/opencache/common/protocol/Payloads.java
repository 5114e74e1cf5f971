package org.opencache.common.protocol;

import java.util.List;
import java.util.Objects;

/**
 * Checks shared by the payload records. They throw {@link IllegalArgumentException} naming the
 * field, which {@link MessageCodec#read} turns into a {@link MalformedMessageException}.
 *
 * <p>Everything a node sends is input the controller stores and sums, so numbers are bounded as
 * well as typed (docs/design.md §5, "Bounds"): a forged report must not be able to push a
 * fleet-wide sum past {@code Long.MAX_VALUE} or put {@code 1e308} requests/s into a graph.
 */
final class Payloads {
    /**
     * The largest counter or byte size a node may report: 2<sup>53</sup>. Every integer up to it is
     * exact in a double, so the JSON consumers of the API (jq, JavaScript) read it unchanged; it
     * lets 1024 instances at the bound sum without leaving a {@code long}; and no honest instance
     * gets there between two restarts (2<sup>53</sup> bytes is 8 PiB, 83 days at 10 Gbit/s
     * without a pause; 2<sup>53</sup> requests are 285 years at a million per second).
     */
    static final long MAX_COUNTER = 1L << 53;
    /**
     * The largest load, in requests per second, a node may report: a thousand times what one host
     * serves, so only a forged or broken value is refused.
     */
    static final double MAX_LOAD = 1e9;
    private static final int MAX_PORT = 65_535;

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

    /** A counter or byte size: 0 to {@link #MAX_COUNTER}. */
    static void requireCounter(long value, String field) {
        if (value < 0 || value > MAX_COUNTER) {
            throw new IllegalArgumentException("'" + field + "' must be a count from 0 to 2^53 ("
                    + MAX_COUNTER + "), not " + value);
        }
    }

    /** A load in requests per second: finite, 0 to {@link #MAX_LOAD}. */
    static void requireLoad(double value, String field) {
        if (!Double.isFinite(value) || value < 0 || value > MAX_LOAD) {
            throw new IllegalArgumentException("'" + field + "' must be a finite number of requests/s from 0 to "
                    + (long) MAX_LOAD + ", not " + value);
        }
    }

    /** A port an instance holds, or 0 for none. */
    static void requirePort(int port, String field) {
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException("'" + field + "' must be a port number (0-65535), not " + port);
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

    /** {@link #elements} of instance states, each with an expression, a status, a port and a horizon of 0 or more. */
    static List<InstanceState> instances(List<InstanceState> list, String field) {
        List<InstanceState> copy = elements(list, field);
        for (int i = 0; i < copy.size(); i++) {
            InstanceState instance = copy.get(i);
            require(instance.expr(), field + "[].expr");
            require(instance.status(), field + "[].status");
            requirePort(instance.port(), field + "[" + i + "].port");
            if (instance.horizon() < 0) {
                throw new IllegalArgumentException("'" + field + "[" + i + "].horizon' must be 0 or more seconds, not "
                        + instance.horizon());
            }
        }
        return copy;
    }

    /**
     * {@link #elements} of instance counters, each with an expression and a status, a port, a load
     * within {@link #requireLoad} and counters within {@link #requireCounter}.
     */
    static List<InstanceStats> stats(List<InstanceStats> list, String field) {
        List<InstanceStats> copy = elements(list, field);
        for (int i = 0; i < copy.size(); i++) {
            InstanceStats entry = copy.get(i);
            String at = field + "[" + i + "].";
            require(entry.expr(), field + "[].expr");
            require(entry.status(), field + "[].status");
            requirePort(entry.port(), at + "port");
            requireLoad(entry.avgLoad(), at + "avg_load");
            requireCounter(entry.cacheHit(), at + "cache_hit");
            requireCounter(entry.cacheHitSize(), at + "cache_hit_size");
            requireCounter(entry.cacheMiss(), at + "cache_miss");
            requireCounter(entry.cacheMissSize(), at + "cache_miss_size");
            requireCounter(entry.originError(), at + "origin_error");
            requireCounter(entry.cacheObject(), at + "cache_object");
            requireCounter(entry.cacheObjectSize(), at + "cache_object_size");
        }
        return copy;
    }
}
