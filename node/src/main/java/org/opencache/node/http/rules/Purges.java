package org.opencache.node.http.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.opencache.common.expr.ResolvedUrl;
import org.opencache.node.store.ObjectStore;
import org.opencache.node.store.PurgeMatch;
import org.opencache.node.store.StoreKey;

/**
 * Purges by URL or URL prefix ({@code purge} command, HTTP {@code PURGE}): turns them into the
 * store's keys and key prefixes ({@link CacheKeys}) and drops them from the store. A URL takes
 * its variants ({@link Variants}) and its stored 206 parts ({@link StoredParts}) with it; the store
 * only reads its records to find them when the URL's stored response says it varies or it has parts.
 */
public final class Purges {

    private Purges() {
    }

    /**
     * Drops from {@code instances} every variant of each of {@code urls} and everything whose
     * URL starts with one of {@code prefixes}; returns how many keys were dropped (a URL with
     * {@code Vary} counts each variant and the entry that points at them).
     */
    public static int purge(ObjectStore store, Set<String> instances, List<ResolvedUrl> urls,
            List<ResolvedUrl> prefixes) {
        Set<String> keys = new LinkedHashSet<>();
        for (ResolvedUrl url : urls) {
            keys.add(keyOf(url));
        }
        List<String> keyPrefixes = new ArrayList<>();
        for (ResolvedUrl prefix : prefixes) {
            keyPrefixes.add(keyOf(prefix));
        }
        return purge(store, instances, keys, keyPrefixes);
    }

    /** Drops every variant of the URL stored under {@code key} (HTTP {@code PURGE}); returns how many keys. */
    public static int purge(ObjectStore store, StoreKey key) {
        return purge(store, Set.of(key.instance()), Set.of(key.key()), List.of());
    }

    private static int purge(ObjectStore store, Set<String> instances, Set<String> keys, List<String> prefixes) {
        if (instances.isEmpty()) {
            return 0;
        }
        boolean varies = false;
        for (String key : keys) {
            for (String instance : instances) {
                StoreKey stored = new StoreKey(instance, key);
                // Variants and 206 parts live under keys of their own, found by the scan.
                varies = varies || store.lookup(stored)
                        .map(found -> !CacheKeys.varyNames(found.meta().headers()).isEmpty()).orElse(false)
                        || store.lookup(CacheKeys.partsKey(stored)).isPresent();
            }
        }
        return store.purge(new PurgeMatch(instances, keys, prefixes, varies));
    }

    /** The cache key of a URL, without its instance (the same in every instance). */
    private static String keyOf(ResolvedUrl url) {
        return CacheKeys.key("", url.host(), url.port(), url.pathAndQuery()).key();
    }
}
