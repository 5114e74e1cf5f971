package org.opencache.node.http.serve;

import org.eclipse.jetty.server.Request;

/**
 * The upstream time of a client's request: how long the origin took to answer (to its response
 * head, or to the failure) the exchanges made for it, summed. Kept as a request attribute, set
 * only when the origin was asked, so a hit costs nothing; the access log reads it once the
 * response is complete.
 */
public final class UpstreamTime {
    /** The request attribute: a {@link Long} of nanoseconds. */
    static final String ATTRIBUTE = "org.opencache.upstreamNanos";

    private UpstreamTime() {
    }

    /** Adds one origin exchange's time to the request's. */
    static void add(Request request, long nanos) {
        // One request's exchanges happen one after the other, never at once.
        Object before = request.getAttribute(ATTRIBUTE);
        request.setAttribute(ATTRIBUTE, before instanceof Long sum ? sum + nanos : nanos);
    }

    /** {@return the request's upstream time in nanoseconds, or -1 when no origin was asked} */
    public static long nanos(Request request) {
        return request.getAttribute(ATTRIBUTE) instanceof Long nanos ? nanos : -1;
    }
}
