package org.opencache.node.http.fill;

import org.opencache.node.http.origin.OriginTarget;
import org.opencache.node.http.rules.CacheControl;
import org.opencache.node.store.StoreKey;

/**
 * A GET or HEAD that the cache may answer from the store or fill it with: a client's, or a
 * pre-fetch's made-up one.
 *
 * @param key           where its response is stored
 * @param target        the origin, target and forwarded fields; the fields also select the variant
 * @param directives    the request's {@code Cache-Control}
 * @param pragmaNoCache whether it carries HTTP/1.0 {@code Pragma: no-cache}
 * @param authorized    whether it carries {@code Authorization}: then only responses a shared cache
 *                      may keep for such requests answer it or are stored (RFC 9111 §3.5)
 */
public record CacheableRequest(StoreKey key, OriginTarget target, CacheControl directives, boolean pragmaNoCache,
        boolean authorized) {

    /** A request without credentials. */
    public CacheableRequest(StoreKey key, OriginTarget target, CacheControl directives, boolean pragmaNoCache) {
        this(key, target, directives, pragmaNoCache, false);
    }
}
