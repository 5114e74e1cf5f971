package org.opencache.node.http.serve;

import org.eclipse.jetty.server.Request;
import org.opencache.node.stats.OriginTimer;

/**
 * The upstream time of a client's request: from sending each origin request made for it to the
 * first byte of the origin's response (what the instance's metrics time too, {@link OriginTimer}),
 * summed over those exchanges (a revalidation that must fetch again makes two). Kept as a request
 * attribute, set only when an origin answered, so a hit costs nothing; the access log reads it
 * once the response is complete.
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

    /** {@return the request's upstream time in nanoseconds, or -1 when no origin answered it} */
    public static long nanos(Request request) {
        return request.getAttribute(ATTRIBUTE) instanceof Long nanos ? nanos : -1;
    }

    /** Passes an exchange's times on to the instance's meters, and adds its first byte to the request's upstream time. */
    record Timer(Request request, OriginTimer meters) implements OriginTimer {
        @Override
        public void connected(long nanos) {
            meters.connected(nanos);
        }

        @Override
        public void firstByte(long nanos) {
            meters.firstByte(nanos);
            add(request, nanos);
        }
    }
}
