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
 * its variants ({@link Variants}) with it; the store only reads its records to find them when
 * the URL's stored response says it varies.
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
        if (instances.isEmpty()) {
            return 0;
        }
        Set<String> keys = new LinkedHashSet<>();
        boolean varies = false;
        for (ResolvedUrl url : urls) {
            String key = keyOf(url);
            keys.add(key);
            for (String instance : instances) {
                varies = varies || store.lookup(new StoreKey(instance, key))
                        .map(stored -> !CacheKeys.varyNames(stored.meta().headers()).isEmpty()).orElse(false);
            }
        }
        List<String> keyPrefixes = new ArrayList<>();
        for (ResolvedUrl prefix : prefixes) {
            keyPrefixes.add(keyOf(prefix));
        }
        return store.purge(new PurgeMatch(instances, keys, keyPrefixes, varies));
    }

    /** The cache key of a URL, without its instance (the same in every instance). */
    private static String keyOf(ResolvedUrl url) {
        return CacheKeys.key("", url.host(), url.port(), url.pathAndQuery()).key();
    }
}
