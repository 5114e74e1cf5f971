package org.opencache.node.http.rules;

/**
 * One member of the RFC 9211 {@code Cache-Status} field, as this cache adds it to every response,
 * e.g. {@code OpenCache; hit}, {@code OpenCache; fwd=miss; stored},
 * {@code OpenCache; fwd=stale; fwd-status=304} or {@code OpenCache; fwd=miss; detail=origin-timeout}.
 *
 * <p>{@code stored} is sent with the response head, before the body has streamed through, so it
 * means "being stored": a store may still refuse the object at commit (over
 * {@code max_item_size}, a write error).
 *
 * @param value the member as sent
 */
public record CacheStatus(String value) {
    /** The name this cache goes by in the field. */
    static final String CACHE_NAME = "OpenCache";

    /** The field's name. */
    public static final String FIELD = "Cache-Status";

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

    /** The member as sent. */
    @Override
    public String toString() {
        return value;
    }
}
