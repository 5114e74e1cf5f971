package org.opencache.node.accesslog;

/**
 * What the access log says about one request, taken when its response is complete; formatted
 * later, on the writer's thread. Absent text fields are null.
 *
 * @param remoteAddr    the client's address
 * @param remoteUser    the user name of a {@code Basic} {@code Authorization}, else null
 * @param startMillis   when the request began, epoch milliseconds
 * @param method        the request method
 * @param target        the request target as sent (path and query)
 * @param protocol      e.g. {@code HTTP/1.1}
 * @param status        the response status
 * @param bodyBytes     body bytes sent to the client
 * @param referer       the {@code Referer} field
 * @param userAgent     the {@code User-Agent} field
 * @param cacheStatus   the {@code Cache-Status} field of the response
 * @param instance      the expression of the instance whose port it came to
 * @param upstreamNanos how long the origin took to answer, or -1 when it was not asked
 * @param totalNanos    from the request's first byte to the response's completion
 */
public record AccessLogEntry(String remoteAddr, String remoteUser, long startMillis, String method, String target,
        String protocol, int status, long bodyBytes, String referer, String userAgent, String cacheStatus,
        String instance, long upstreamNanos, long totalNanos) {

    /** The request line as nginx's {@code $request} shows it. */
    public String requestLine() {
        return method + " " + target + " " + protocol;
    }

    /** A duration in seconds with millisecond resolution ({@code 0.012}), as nginx writes times. */
    static String seconds(long nanos) {
        long millis = nanos / 1_000_000;
        long fraction = millis % 1000;
        return millis / 1000 + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
