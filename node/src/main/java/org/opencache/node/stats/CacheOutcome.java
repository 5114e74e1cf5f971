package org.opencache.node.stats;

import java.util.Locale;

/**
 * What became of one request, as the metrics count it ({@code opencache_cache_status_total}):
 * the RFC 9211 {@code Cache-Status} sent, reduced to one word ({@code http.rules.CacheStatus#outcome()}).
 */
public enum CacheOutcome {
    /** Served from the store without contacting the origin. */
    HIT,
    /** Served from the store past its freshness: {@code stale-while-revalidate} or {@code stale-if-error}. */
    STALE,
    /** A stored response the origin confirmed with a 304 and that was served from the store. */
    REVALIDATED,
    /** Fetched from the origin because nothing usable was stored (including collapsed followers). */
    MISS,
    /** Relayed without the cache: outside the expression, another method, or a request the cache may not answer. */
    PASS,
    /** The origin could not be used: the cache's 502 or 504, or a response cut short. */
    ORIGIN_ERROR,
    /** Answered by the cache itself without the origin or the store: a 400, 403, 508, an {@code only-if-cached} 504. */
    REFUSED;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The word in the {@code outcome} label, e.g. {@code origin_error}. */
    public String label() {
        return label;
    }

    /** Whether the response came from the store without waiting for the origin (the "hit" of the latency histogram). */
    public boolean fromStore() {
        return this == HIT || this == STALE;
    }
}
