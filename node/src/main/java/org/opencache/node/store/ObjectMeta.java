package org.opencache.node.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What is kept about a stored response besides its body: enough to rebuild the response and to
 * judge its freshness (RFC 9111 §4.2.3 needs the request and response times). An immutable value;
 * equal when its six components are.
 *
 * <p>Not a record only because of {@link #derived}: a hit must not parse the same stored header
 * fields again on every request (that was 45 % of the bytes a hit allocated), so the HTTP layer
 * keeps its parsed view of them here, computed on first use.
 */
public final class ObjectMeta {
    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final Instant requestTime;
    private final Instant responseTime;
    private final Instant expires;
    private final long bodyLength;
    private volatile Object derived;

    /**
     * @param status       the response status code
     * @param headers      the response header fields as received (hop-by-hop fields removed), in
     *                     order; copied
     * @param requestTime  when the request that produced it was sent to the origin
     * @param responseTime when its response was received
     * @param expires      after this instant the object is of no further use and the periodic purge
     *                     may remove it: when it turns stale, or later for an object that can still
     *                     be revalidated or served stale (the cache policy decides)
     * @param bodyLength   the body's length in bytes
     */
    public ObjectMeta(int status, List<Map.Entry<String, String>> headers, Instant requestTime, Instant responseTime,
            Instant expires, long bodyLength) {
        this.status = status;
        this.headers = List.copyOf(headers);
        this.requestTime = requestTime;
        this.responseTime = responseTime;
        this.expires = expires;
        this.bodyLength = bodyLength;
    }

    /** This metadata with {@code length} as the body's length (this same object if it already is). */
    public ObjectMeta withBodyLength(long length) {
        return bodyLength == length ? this
                : new ObjectMeta(status, headers, requestTime, responseTime, expires, length);
    }

    /** The response status code. */
    public int status() {
        return status;
    }

    /** The response header fields, in order. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** When the request that produced the response was sent to the origin. */
    public Instant requestTime() {
        return requestTime;
    }

    /** When the response was received. */
    public Instant responseTime() {
        return responseTime;
    }

    /** After this instant the object is of no further use (see the constructor). */
    public Instant expires() {
        return expires;
    }

    /** The body's length in bytes. */
    public long bodyLength() {
        return bodyLength;
    }

    /** The first value of a header field, case-insensitively, or null. */
    public String header(String name) {
        for (Map.Entry<String, String> field : headers) {
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue();
            }
        }
        return null;
    }

    /**
     * A value derived from this metadata alone, computed by {@code compute} on first use and kept
     * with it. One kind of value per metadata: {@code type} must be the same for every caller.
     * Two threads may both compute it; both results are equal, so either may be kept.
     */
    public <T> T derived(Class<T> type, Function<ObjectMeta, T> compute) {
        Object known = derived;
        if (type.isInstance(known)) {
            return type.cast(known);
        }
        T value = compute.apply(this);
        derived = value;
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ObjectMeta that && status == that.status && bodyLength == that.bodyLength
                && headers.equals(that.headers) && Objects.equals(requestTime, that.requestTime)
                && Objects.equals(responseTime, that.responseTime) && Objects.equals(expires, that.expires);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, requestTime, responseTime, expires, bodyLength);
    }

    @Override
    public String toString() {
        return "ObjectMeta[status=" + status + ", headers=" + headers + ", requestTime=" + requestTime
                + ", responseTime=" + responseTime + ", expires=" + expires + ", bodyLength=" + bodyLength + "]";
    }
}
