package org.opencache.node.http.rules;

import org.opencache.node.stats.CacheOutcome;
import org.opencache.node.store.StoreRefusal;

/**
 * One member of the RFC 9211 {@code Cache-Status} field, as this cache adds it to every response,
 * e.g. {@code OpenCache; hit}, {@code OpenCache; fwd=miss; stored},
 * {@code OpenCache; fwd=stale; fwd-status=304} or {@code OpenCache; fwd=miss; detail=origin-timeout}.
 *
 * <p>{@code stored} is never a promise: it is sent only when the store has the object before the
 * head goes out (a body of known length up to {@code fill.HeldHead.LIMIT} is held back until the
 * store's commit). A refusal known by then is a {@code detail} instead ({@code too-large},
 * {@code not-admitted}, {@code disk-full}, {@code store-error}); a larger or unannounced body
 * streams with {@code detail=storing}: the store is taking it, and the next request shows whether
 * it kept it.
 *
 * @param value the member as sent
 */
public record CacheStatus(String value) {
    /** The name this cache goes by in the field. */
    static final String CACHE_NAME = "OpenCache";

    /** The field's name. */
    public static final String FIELD = "Cache-Status";

    private static final String HIT_VALUE = CACHE_NAME + "; hit";
    private static final String FWD = CACHE_NAME + "; fwd=";

    /** Served from the store without contacting the origin. */
    public static CacheStatus hit() {
        return new CacheStatus(CACHE_NAME + "; hit");
    }

    /**
     * Forwarded to the origin for an RFC 9211 reason: {@code bypass}, {@code method},
     * {@code uri-miss}, {@code vary-miss}, {@code miss}, {@code request} or {@code stale}.
     */
    public static CacheStatus forwarded(String reason) {
        return new CacheStatus(CACHE_NAME + "; fwd=" + reason);
    }

    /** Answered by the cache itself without a stored response, for the reason the token gives. */
    public static CacheStatus refused(String detail) {
        return new CacheStatus(CACHE_NAME).detail(detail);
    }

    /** The same member with the status the origin answered with. */
    public CacheStatus fwdStatus(int status) {
        return new CacheStatus(value + "; fwd-status=" + status);
    }

    /** The same member, marked as stored. */
    public CacheStatus stored() {
        return new CacheStatus(value + "; stored");
    }

    /** The same member, saying why the store did not keep the response. */
    public CacheStatus notStored(StoreRefusal refusal) {
        return detail(switch (refusal) {
            case TOO_LARGE -> "too-large";
            case NOT_ADMITTED -> "not-admitted";
            case DISK_FULL -> "disk-full";
            case STORE_ERROR -> "store-error";
            case PURGED -> "purged";
            case CLOSED -> "store-closed";
        });
    }

    /**
     * The same member for a response streaming into the store, whose outcome is not known when
     * its head goes out.
     */
    public CacheStatus storing() {
        return detail("storing");
    }

    /**
     * The same member, marked {@code collapsed} (RFC 9211 §2.6): this request waited for another
     * one's forward request and was served its response.
     */
    public CacheStatus collapsed() {
        return new CacheStatus(value + "; collapsed");
    }

    /** The same member with a {@code detail} token, e.g. why the origin could not be used. */
    public CacheStatus detail(String token) {
        return new CacheStatus(value + "; detail=" + token);
    }

    /**
     * What the member says became of the request, as the metrics count it: {@code hit} (stale
     * with a stale-serving detail), {@code fwd=bypass} or {@code fwd=method} a pass,
     * {@code fwd-status=304} a revalidation, {@code stale-if-error} stale, any other {@code fwd}
     * a miss, neither {@code hit} nor {@code fwd} a refusal. The common hit is one comparison.
     */
    public CacheOutcome outcome() {
        if (value.length() == HIT_VALUE.length() && value.equals(HIT_VALUE)) {
            return CacheOutcome.HIT;
        }
        if (value.startsWith(HIT_VALUE)) {
            return value.contains("detail=stale-") ? CacheOutcome.STALE : CacheOutcome.HIT;
        }
        if (!value.startsWith(FWD)) {
            return CacheOutcome.REFUSED;
        }
        if (value.startsWith("bypass", FWD.length()) || value.startsWith("method", FWD.length())) {
            return CacheOutcome.PASS;
        }
        if (value.contains("detail=stale-if-error")) {
            return CacheOutcome.STALE;
        }
        return value.contains("fwd-status=304") ? CacheOutcome.REVALIDATED : CacheOutcome.MISS;
    }

    /** The member as sent. */
    @Override
    public String toString() {
        return value;
    }
}
