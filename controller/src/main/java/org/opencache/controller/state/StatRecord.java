package org.opencache.controller.state;

import java.time.Instant;
import org.opencache.common.protocol.InstanceStats;

/**
 * The latest counters one instance reported; a document of the {@code stats} collection, keyed
 * by ({@code node-id}, {@code expr}). Field meanings are those of the original OpenCache
 * {@code stat} table: sizes are bytes sent to clients (hit, miss) or stored (object).
 *
 * <pre>{"node-id": 1, "expr": "example.com", "status": "start", "port": 49003, "avg_load": 12.5,
 *  "cache_hit": 10, "cache_hit_size": 10240, "cache_miss": 1, "cache_miss_size": 1024,
 *  "cache_object": 1, "cache_object_size": 1024, "seen": ISODate(…)}</pre>
 *
 * @param counters the instance's {@code stat} report as the node sent it
 * @param seen     when the controller received it
 */
public record StatRecord(int nodeId, InstanceStats counters, Instant seen) {

    /** The record of counters node {@code nodeId} reported in a {@code stat} notification received at {@code seen}. */
    public static StatRecord reported(int nodeId, InstanceStats stats, Instant seen) {
        return new StatRecord(nodeId, stats, seen);
    }

    /** The instance's expression: with {@link #nodeId()}, the record's key. */
    public String expr() {
        return counters.expr();
    }
}
