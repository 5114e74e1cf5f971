package org.opencache.node.http.fill;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.opencache.node.http.rules.CacheStatus;
import org.opencache.node.stats.OriginTimer;
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

    /**
     * An interim (1xx) response from the origin, before the final one: relayed to a client that
     * can take it (RFC 9110 §15.2), never stored. Ignored by default (pre-fetches).
     *
     * @param status the interim status, 102 to 199
     * @param fields its end-to-end fields, its own and nothing of the final response's
     */
    default void interim(int status, HttpFields fields) {
    }

    /** Answers from a stored object (a hit, or a stored object revalidated with a 304). */
    void serveStored(StoredObject object, CacheStatus cacheStatus);

    /** The origin could not be used: refused, timed out, or broke off midway. */
    void fail(Throwable failure, CacheStatus cacheStatus);

    /** Who is told how long the origin took to connect and answer, when this recipient's request asks it. */
    default OriginTimer originTimer() {
        return OriginTimer.NONE;
    }
}
