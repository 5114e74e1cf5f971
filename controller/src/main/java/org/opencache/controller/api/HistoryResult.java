package org.opencache.controller.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The result of {@code history} (docs/design.md §4): the window as it was understood (defaults
 * filled in) and the series, each with one point per {@code step}.
 *
 * <pre>{"from": "2026-11-23T12:00:00Z", "to": "2026-11-23T13:00:00Z", "step": 60, "by": "all",
 *  "series": [{"points": [{"t": "2026-11-23T12:00:00Z", "reports": 1, "cache_hit": 9, "cache_hit_size": 9216,
 *   "cache_miss": 1, "cache_miss_size": 1024, "origin_error": 0, "hit_ratio": 0.9, "byte_hit_ratio": 0.9}, …]}]}</pre>
 *
 * @param step seconds per point
 * @param by   {@code all}: one series summed over the selection; {@code instance}: one per (node-id, expr)
 */
@JsonPropertyOrder({"from", "to", "step", "by", "series"})
public record HistoryResult(String from, String to, long step, String by, List<Series> series) {

    /**
     * One series: per instance ({@code node-id} and {@code expr} present) or summed over the
     * selection (both absent).
     */
    @JsonPropertyOrder({"node-id", "expr", "points"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Series(@JsonProperty("node-id") Integer nodeId, String expr, List<Point> points) {
    }

    /**
     * What was served in one interval, from {@code t} to {@code t + step}: the increase of each
     * counter over the reports that fell in it.
     *
     * @param reports      how many reports fell in the interval: 0 means nothing is known of it
     *                     (no report arrived), not that nothing was served
     * @param hitRatio     hits / (hits + misses); null when the interval had neither
     * @param byteHitRatio the same over sizes; null when the interval had neither
     */
    @JsonPropertyOrder({"t", "reports", "cache_hit", "cache_hit_size", "cache_miss", "cache_miss_size",
        "origin_error", "hit_ratio", "byte_hit_ratio"})
    public record Point(
            String t,
            int reports,
            @JsonProperty("cache_hit") long cacheHit,
            @JsonProperty("cache_hit_size") long cacheHitSize,
            @JsonProperty("cache_miss") long cacheMiss,
            @JsonProperty("cache_miss_size") long cacheMissSize,
            @JsonProperty("origin_error") long originError,
            @JsonProperty("hit_ratio") @JsonInclude(JsonInclude.Include.ALWAYS) Double hitRatio,
            @JsonProperty("byte_hit_ratio") @JsonInclude(JsonInclude.Include.ALWAYS) Double byteHitRatio) {
    }
}
