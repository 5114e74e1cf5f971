package org.opencache.common.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One instance's counters in a {@code stat} report, as the original OpenCache {@code stat} table
 * defines them: hit and miss sizes are bytes sent to clients, object size is bytes stored.
 * Counters are cumulative since the instance started (the controller keeps the latest).
 * {@code origin_error} is ours: requests the origin could not answer, counted neither as hits nor
 * as misses; a report without it (an older node's) means 0.
 *
 * <pre>{"expr": "example.com", "status": "start", "port": 49003, "avg_load": 12.5,
 *  "cache_hit": 10, "cache_hit_size": 10240, "cache_miss": 1, "cache_miss_size": 1024,
 *  "origin_error": 0, "cache_object": 1, "cache_object_size": 1024}</pre>
 *
 * @param avgLoad     requests per second over the last {@code stat_refresh} window
 * @param originError requests the origin could not answer (unresolvable, refused, timed out, reset)
 */
public record InstanceStats(
        String expr,
        InstanceStatus status,
        int port,
        @JsonProperty("avg_load") double avgLoad,
        @JsonProperty("cache_hit") long cacheHit,
        @JsonProperty("cache_hit_size") long cacheHitSize,
        @JsonProperty("cache_miss") long cacheMiss,
        @JsonProperty("cache_miss_size") long cacheMissSize,
        @JsonProperty("origin_error") long originError,
        @JsonProperty("cache_object") long cacheObject,
        @JsonProperty("cache_object_size") long cacheObjectSize) {

    /** The canonical constructor, the one JSON is read with. */
    @JsonCreator
    public InstanceStats {
    }

    /** Counters without origin errors (the original's fields only). */
    public InstanceStats(String expr, InstanceStatus status, int port, double avgLoad, long cacheHit,
            long cacheHitSize, long cacheMiss, long cacheMissSize, long cacheObject, long cacheObjectSize) {
        this(expr, status, port, avgLoad, cacheHit, cacheHitSize, cacheMiss, cacheMissSize, 0, cacheObject,
                cacheObjectSize);
    }
}
