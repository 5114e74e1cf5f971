package org.opencache.node.http.serve;

import java.time.Clock;
import java.time.Instant;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.opencache.node.http.fill.Recipient;
import org.opencache.node.http.fill.StoreUpdates;
import org.opencache.node.http.origin.OriginClient;
import org.opencache.node.http.origin.OriginExchange;
import org.opencache.node.http.origin.OriginTarget;
import org.opencache.node.http.rules.CacheStatus;
import org.opencache.node.http.rules.HeaderFields;
import org.opencache.node.stats.OriginTimer;

/**
 * A request relayed to the origin without the cache: outside the expression, an uncacheable
 * method, credentials, or a HEAD with nothing stored. Request and response bodies stream through.
 * An observer learns of the response head first, so the store can follow what passed (RFC 9111
 * §4.4 invalidation, §4.3.5 HEAD updates; see {@link StoreUpdates}).
 */
final class PassThrough implements OriginExchange.Listener {

    /** Learns of a relayed response's head before it is passed on. */
    @FunctionalInterface
    interface Observer {
        void onResponse(int status, HttpFields fields, Instant requestTime, Instant responseTime);
    }

    private final Recipient recipient;
    private final CacheStatus cacheStatus;

    private PassThrough(Recipient recipient, CacheStatus cacheStatus) {
        this.recipient = recipient;
        this.cacheStatus = cacheStatus;
    }

    /**
     * Relays a client's request.
     *
     * @param target       the origin and target to send it to
     * @param observer     told of the response head; null for none
     */
    static void relay(OriginClient origins, Clock clock, Request clientRequest, OriginTarget target,
            Recipient recipient, CacheStatus cacheStatus, Observer observer) {
        PassThrough relayed = new PassThrough(recipient, cacheStatus);
        relay(origins, clock, clientRequest, target, observer == null ? relayed : new Observed(relayed, observer));
    }

    /**
     * Relays a client's request, body and all, to a listener of the cache's own (a POST whose
     * response may be stored), telling {@code observer} of the response head first.
     */
    static void relay(OriginClient origins, Clock clock, Request clientRequest, OriginTarget target,
            OriginExchange.Listener listener, Observer observer) {
        relay(origins, clock, clientRequest, target, new Observed(listener, observer));
    }

    private static void relay(OriginClient origins, Clock clock, Request clientRequest, OriginTarget target,
            OriginExchange.Listener listener) {
        org.eclipse.jetty.client.Request originRequest = origins.newRequest(clientRequest.getMethod(), target);
        if (hasBody(clientRequest)) {
            originRequest.body(new RequestBody(clientRequest));
        }
        OriginExchange.send(origins, originRequest, clock, listener);
    }

    /** A listener whose observer learns of the response head before it does. */
    private record Observed(OriginExchange.Listener listener, Observer observer) implements OriginExchange.Listener {
        @Override
        public Content.Sink onOriginResponse(Response response, Instant requestTime, Instant responseTime) {
            observer.onResponse(response.getStatus(), HeaderFields.endToEnd(response.getHeaders()), requestTime,
                    responseTime);
            return listener.onOriginResponse(response, requestTime, responseTime);
        }

        @Override
        public void onInterim(int status, HttpFields fields) {
            listener.onInterim(status, fields);
        }

        @Override
        public void onOriginFailure(Throwable failure) {
            listener.onOriginFailure(failure);
        }

        @Override
        public OriginTimer originTimer() {
            return listener.originTimer();
        }
    }

    @Override
    public Content.Sink onOriginResponse(Response response, Instant requestTime, Instant responseTime) {
        return recipient.startResponse(response.getStatus(), HeaderFields.endToEnd(response.getHeaders()), cacheStatus);
    }

    @Override
    public void onInterim(int status, HttpFields fields) {
        recipient.interim(status, fields);
    }

    @Override
    public void onOriginFailure(Throwable failure) {
        recipient.fail(failure, cacheStatus);
    }

    @Override
    public OriginTimer originTimer() {
        return recipient.originTimer();
    }

    private static boolean hasBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** The client's request body, read as the origin connection takes it. */
    private record RequestBody(Request clientRequest) implements org.eclipse.jetty.client.Request.Content {
        @Override
        public String getContentType() {
            return clientRequest.getHeaders().get(HttpHeader.CONTENT_TYPE);
        }

        @Override
        public long getLength() {
            return clientRequest.getLength();
        }

        @Override
        public Content.Chunk read() {
            return clientRequest.read();
        }

        @Override
        public void demand(Runnable demandCallback) {
            clientRequest.demand(demandCallback);
        }

        @Override
        public void fail(Throwable failure) {
            clientRequest.fail(failure);
        }

        @Override
        public boolean rewind() {
            return false;
        }
    }
}
