package org.opencache.common.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One instance's counters in a {@code stat} report, as the original OpenCache {@code stat} table
 * defines them: hit and miss sizes are bytes sent to clients, object size is bytes stored.
 * Counters are cumulative since the instance started (the controller keeps the latest).
 *
 * <pre>{"expr": "example.com", "status": "start", "port": 49003, "avg_load": 12.5,
 *  "cache_hit": 10, "cache_hit_size": 10240, "cache_miss": 1, "cache_miss_size": 1024,
 *  "cache_object": 1, "cache_object_size": 1024}</pre>
 *
 * @param avgLoad requests per second over the last {@code stat_refresh} window
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
        @JsonProperty("cache_object") long cacheObject,
        @JsonProperty("cache_object_size") long cacheObjectSize) {
}
