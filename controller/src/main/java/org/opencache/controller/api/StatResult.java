package org.opencache.controller.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The result of {@code stat}: the fields of the original OpenCache documentation, plus the two
 * ratios and {@code origin_error} (requests the origin could not answer, in neither ratio). Every
 * field is present even when nothing matched.
 *
 * <pre>{"start": 1, "stop": 0, "pause": 0, "cache_miss": 1, "cache_miss_size": 1024,
 *  "cache_hit": 9, "cache_hit_size": 9216, "cache_object": 1, "cache_object_size": 1024,
 *  "total_node_count": 1, "total_expr_count": 1, "total_response_count": 1,
 *  "node_seen": [1], "expr_seen": ["example.com"],
 *  "node_expr_pairs_seen": [{"node-id": 1, "expr": "example.com", "status": "start", "avg_load": 0.5, "port": 49003}],
 *  "hit_ratio": 0.9, "byte_hit_ratio": 0.9, "origin_error": 0}</pre>
 */
@JsonPropertyOrder({"start", "stop", "pause", "cache_miss", "cache_miss_size", "cache_hit", "cache_hit_size",
    "cache_object", "cache_object_size", "total_node_count", "total_expr_count", "total_response_count",
    "node_seen", "expr_seen", "node_expr_pairs_seen", "hit_ratio", "byte_hit_ratio", "origin_error"})
public record StatResult(
        long start,
        long stop,
        long pause,
        @JsonProperty("cache_miss") long cacheMiss,
        @JsonProperty("cache_miss_size") long cacheMissSize,
        @JsonProperty("cache_hit") long cacheHit,
        @JsonProperty("cache_hit_size") long cacheHitSize,
        @JsonProperty("cache_object") long cacheObject,
        @JsonProperty("cache_object_size") long cacheObjectSize,
        @JsonProperty("total_node_count") int totalNodeCount,
        @JsonProperty("total_expr_count") int totalExprCount,
        @JsonProperty("total_response_count") int totalResponseCount,
        @JsonProperty("node_seen") List<Integer> nodeSeen,
        @JsonProperty("expr_seen") List<String> exprSeen,
        @JsonProperty("node_expr_pairs_seen") List<Pair> nodeExprPairsSeen,
        @JsonProperty("hit_ratio") double hitRatio,
        @JsonProperty("byte_hit_ratio") double byteHitRatio,
        @JsonProperty("origin_error") long originError) {

    /** One (node, expression) pair in the result, with its status and load. */
    @JsonPropertyOrder({"node-id", "expr", "status", "avg_load", "port"})
    public record Pair(
            @JsonProperty("node-id") int nodeId,
            String expr,
            String status,
            @JsonProperty("avg_load") double avgLoad,
            int port) {
    }
}
