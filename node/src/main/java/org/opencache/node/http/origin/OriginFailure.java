package org.opencache.node.http.origin;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;

/**
 * What a failed origin exchange means to a client: 403 when the instance may not reach the
 * origin's address, 504 when the origin was too slow, 502 when it could not be reached or broke
 * the exchange, with an RFC 9211 {@code detail} token and a one-line description an operator can
 * act on.
 *
 * @param status      403, 502 or 504
 * @param detail      {@code origin-timeout}, {@code origin-unreachable}, {@code origin-error},
 *                    {@code origin-header-too-large} (fields the cache could not relay),
 *                    {@code origin-transfer-coding} (a body whose transfer coding or framing the
 *                    cache cannot read, so its content is unknown),
 *                    {@code revalidation-failed} (a stored response that must be revalidated), or
 *                    the refusal's token ({@code origin-loopback}, … see {@link OriginRefusedException})
 * @param description e.g. {@code "Connection refused"}
 */
public record OriginFailure(int status, String detail, String description) {

    /** Classifies a failure by the first cause in its chain that says what happened. */
    public static OriginFailure of(Throwable failure) {
        // A refusal wins over every other reading: the origin was never asked, not even to revalidate.
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof OriginRefusedException refused) {
                return new OriginFailure(403, refused.refusal().reason().detail(), refused.getMessage());
            }
        }
        if (failure instanceof RevalidationFailedException) {
            return new OriginFailure(504, "revalidation-failed", describe(failure.getCause()));
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FieldsTooLargeException) {
                return new OriginFailure(502, "origin-header-too-large", describe(cause));
            }
            if (cause instanceof UnreadableTransferCodingException) {
                return new OriginFailure(502, "origin-transfer-coding", describe(cause));
            }
            // Jetty's client refuses framing it cannot read, e.g. a close-delimited response
            // whose last transfer coding is not chunked (RFC 9112 §6.3 allows it; Jetty does not).
            if (cause instanceof HttpException refused && refused.getReason() != null
                    && refused.getReason().contains("Transfer-Encoding")) {
                return new OriginFailure(502, "origin-transfer-coding",
                        "the origin's response framing cannot be read: " + refused.getReason());
            }
            if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
                return new OriginFailure(504, "origin-timeout", describe(cause));
            }
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                    || cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
                return new OriginFailure(502, "origin-unreachable", describe(cause));
            }
        }
        return new OriginFailure(502, "origin-error", describe(failure));
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
