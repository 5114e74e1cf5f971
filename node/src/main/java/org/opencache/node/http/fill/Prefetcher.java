package org.opencache.node.http.fill;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.opencache.common.expr.Expression;
import org.opencache.common.expr.ResolvedUrl;
import org.opencache.node.http.origin.OriginFailure;
import org.opencache.node.http.origin.OriginTarget;
import org.opencache.node.http.rules.CacheControl;
import org.opencache.node.http.rules.CacheKeys;
import org.opencache.node.http.rules.HeaderFields;
import org.opencache.node.http.rules.OriginAccess;
import org.opencache.node.store.ObjectStore;
import org.opencache.node.store.StoreKey;

/**
 * Pre-caching for the {@code fetch} and {@code seed} commands (docs/design.md §4): fetches URLs into
 * the store exactly as a client's miss would, through the same keys, policy and request
 * collapsing, so a client request that arrives meanwhile joins the fetch instead of repeating it.
 *
 * <p>A fetch always asks the origin, as a request with {@code Cache-Control: no-cache} would:
 * an object already stored is revalidated (a cheap 304 when unchanged), so an operator's
 * {@code fetch} means "make it current", never "maybe".
 */
public final class Prefetcher {
    private static final CacheControl NO_CACHE = CacheControl.parse("no-cache");

    private final Expression expression;
    private final ObjectStore store;
    private final CacheFiller filler;
    private final OriginAccess access;

    /**
     * @param access which origin addresses the instance may reach; a fetch of a refused one fails
     *               with the refusal as its reason
     */
    public Prefetcher(Expression expression, ObjectStore store, CacheFiller filler, OriginAccess access) {
        this.expression = expression;
        this.store = store;
        this.filler = filler;
        this.access = access;
    }

    /**
     * Fetches one URL into the store.
     *
     * @return completes when the object is stored; fails with a {@link PrefetchException} naming
     *         the URL and the cause (outside this instance, origin unreachable, not storable)
     */
    public CompletableFuture<Void> fetch(ResolvedUrl url) {
        if (!covers(url)) {
            return CompletableFuture.failedFuture(outside(url));
        }
        StoreKey key = key(url);
        HttpFields fields = HttpFields.build()
                .put(HttpHeader.HOST, url.port() == 80 ? url.host() : url.host() + ":" + url.port())
                .put(HttpHeader.VIA, HeaderFields.VIA);
        DiscardingRecipient recipient = new DiscardingRecipient();
        filler.serve(new CacheableRequest(key, OriginTarget.of(url.host(), url.port(), url.pathAndQuery(), fields, access),
                NO_CACHE, false), recipient);
        return recipient.done().handle((status, failure) -> {
            if (failure != null) {
                throw new CompletionException(new PrefetchException("fetch " + url + " failed: the origin could not be used: "
                        + OriginFailure.of(failure).description()));
            }
            if (store.lookup(key).isEmpty()) {
                throw new CompletionException(new PrefetchException("fetch " + url + " failed: the origin answered "
                        + status + " with a response that was not stored (not cacheable, or over max_item_size)"));
            }
            return null;
        });
    }

    /**
     * Stores several URLs as one object: the first is fetched, the others become links to it,
     * so the body is stored once and served for each.
     *
     * @return completes when all are stored; fails with a {@link PrefetchException} naming the
     *         URL and the cause
     */
    public CompletableFuture<Void> seed(List<ResolvedUrl> urls) {
        if (urls.isEmpty()) {
            return CompletableFuture.failedFuture(new PrefetchException("seed needs at least one URL"));
        }
        for (ResolvedUrl url : urls) {
            if (!covers(url)) {
                return CompletableFuture.failedFuture(outside(url));
            }
        }
        ResolvedUrl first = urls.getFirst();
        return fetch(first).thenRun(() -> {
            for (ResolvedUrl alias : urls.subList(1, urls.size())) {
                try {
                    store.link(key(alias), key(first));
                } catch (RuntimeException e) {
                    throw new CompletionException(new PrefetchException("seed " + alias + " as " + first
                            + " failed: the store refused the link: " + e.getMessage()));
                }
            }
        });
    }

    private boolean covers(ResolvedUrl url) {
        return expression.covers(url.host(), url.port(), url.pathAndQuery());
    }

    private PrefetchException outside(ResolvedUrl url) {
        return new PrefetchException("fetch " + url + " failed: it is outside this instance's expression "
                + expression);
    }

    private StoreKey key(ResolvedUrl url) {
        return CacheKeys.key(expression.canonical(), url.host(), url.port(), url.pathAndQuery());
    }
}
