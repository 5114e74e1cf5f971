package org.opencache.node.http.fill;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.opencache.node.http.rules.CacheStatus;
import org.opencache.node.store.StoredObject;

/**
 * Receives a response nobody reads and throws the body away; the store keeps its copy. Used by
 * pre-fetches and background revalidations ({@code stale-while-revalidate}).
 */
final class DiscardingRecipient implements Recipient {
    private final CompletableFuture<Integer> done = new CompletableFuture<>();

    /** Completes with the status once the response is over; fails with the origin's failure. */
    CompletableFuture<Integer> done() {
        return done;
    }

    @Override
    public Content.Sink startResponse(int status, HttpFields fields, CacheStatus cacheStatus) {
        return (boolean last, ByteBuffer buffer, Callback callback) -> {
            buffer.position(buffer.limit());
            callback.succeeded();
            if (last) {
                done.complete(status);
            }
        };
    }

    @Override
    public void serveStored(StoredObject object, CacheStatus cacheStatus) {
        done.complete(object.meta().status());
    }

    @Override
    public void fail(Throwable failure, CacheStatus cacheStatus) {
        done.completeExceptionally(failure);
    }
}
