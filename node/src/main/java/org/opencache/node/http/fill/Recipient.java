package org.opencache.node.http.fill;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.opencache.node.http.rules.CacheStatus;
import org.opencache.node.store.StoredObject;

/**
 * Who receives the outcome of a lookup or an origin fetch: a client's response
 * ({@code serve.ClientResponder}) or a pre-fetch that only wants the object stored. Exactly one of the
 * three methods is called per request, except that {@link #fail} may follow
 * {@link #startResponse} when the origin breaks off midway.
 */
public interface Recipient {

    /**
     * The origin's response starts.
     *
     * @param status      the origin's status
     * @param fields      its end-to-end fields
     * @param cacheStatus what the cache did
     * @return where the body goes; the last write completes the response
     */
    Content.Sink startResponse(int status, HttpFields fields, CacheStatus cacheStatus);

    /** Answers from a stored object (a hit, or a stored object revalidated with a 304). */
    void serveStored(StoredObject object, CacheStatus cacheStatus);

    /** The origin could not be used: refused, timed out, or broke off midway. */
    void fail(Throwable failure, CacheStatus cacheStatus);

    /**
     * An origin exchange made for this request took {@code nanos} to its response head or its
     * failure ({@code OriginExchange.Listener#onOriginTimed}); told before the outcome it leads to,
     * once per exchange (a revalidation that must fetch again makes two).
     */
    default void originTimed(long nanos) {
    }
}
