package org.opencache.node.http.rules;

import java.util.Locale;

/**
 * What became of one request, as the metrics count it ({@code opencache_cache_status_total}):
 * the RFC 9211 {@code Cache-Status} sent, reduced to one word.
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

    /**
     * The outcome a {@code Cache-Status} member says: {@code hit} (stale with a stale-serving
     * detail), {@code fwd=bypass} or {@code fwd=method} a pass, {@code fwd-status=304} a
     * revalidation, any other {@code fwd} a miss, no {@code hit} nor {@code fwd} a refusal. The
     * common hit is one comparison.
     */
    public static CacheOutcome of(CacheStatus status) {
        String value = status.value();
        if (value.length() == HIT_VALUE.length() && value.equals(HIT_VALUE)) {
            return HIT;
        }
        if (value.startsWith(HIT_VALUE)) {
            return value.contains("detail=stale-") ? STALE : HIT;
        }
        if (!value.startsWith(FWD)) {
            return REFUSED;
        }
        if (value.startsWith("bypass", FWD.length()) || value.startsWith("method", FWD.length())) {
            return PASS;
        }
        if (value.contains("detail=stale-if-error")) {
            return STALE;
        }
        return value.contains("fwd-status=304") ? REVALIDATED : MISS;
    }

    private static final String HIT_VALUE = CacheStatus.CACHE_NAME + "; hit";
    private static final String FWD = CacheStatus.CACHE_NAME + "; fwd=";
}
