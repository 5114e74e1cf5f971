package org.opencache.node.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What is kept about a stored response besides its body: enough to rebuild the response and to
 * judge its freshness (RFC 9111 §4.2.3 needs the request and response times).
 *
 * @param status       the response status code
 * @param headers      the response header fields as received (hop-by-hop fields removed), in order
 * @param requestTime  when the request that produced it was sent to the origin
 * @param responseTime when its response was received
 * @param expires      after this instant the object is of no further use and the periodic purge may
 *                     remove it: when it turns stale, or later for an object that can still be
 *                     revalidated or served stale (the cache policy decides)
 * @param bodyLength   the body's length in bytes
 */
public record ObjectMeta(
        int status,
        List<Map.Entry<String, String>> headers,
        Instant requestTime,
        Instant responseTime,
        Instant expires,
        long bodyLength) {

    /** Copies the header list so the record stays immutable. */
    public ObjectMeta {
        headers = List.copyOf(headers);
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
}
