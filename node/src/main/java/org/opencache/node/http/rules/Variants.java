package org.opencache.node.http.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpFields;
import org.opencache.node.store.ObjectMeta;
import org.opencache.node.store.ObjectStore;
import org.opencache.node.store.StoreKey;
import org.opencache.node.store.StoredObject;

/**
 * Several variants of one URL side by side (RFC 9111 §4.1). A response without {@code Vary} is
 * stored under the URL's primary key. A response with {@code Vary} is stored under a secondary
 * key, the primary key plus the request's normalised values of the fields it names, and the
 * primary key is then linked to it, so the primary key always says which fields the URL varies on.
 *
 * <p>Every variant carries a generation, shared with the primary key it was stored under. A
 * lookup only accepts a variant of the primary key's current generation, so once the primary key
 * is removed (invalidation, purge, eviction) the variants stored before are never served again,
 * without the store having to find them; they age out through the purge and LRU eviction.
 */
public final class Variants {
    // Internal entries start with ':' (CacheKeys.isInternal), so they are never sent to clients.
    private static final String GENERATION = ":generation";

    // A space cannot occur in an origin-form request target, so no URL's key looks like a variant's.
    private static final String SEPARATOR = " ";

    /**
     * What a lookup found for a request.
     *
     * @param key      where the response is stored (the primary or a variant key)
     * @param object   the stored response that fits the request, or null
     * @param varyMiss whether something is stored for the URL, but not the variant the request selects
     */
    public record Located(StoreKey key, StoredObject object, boolean varyMiss) {
    }

    /**
     * Where a response is stored.
     *
     * @param key     the key to write
     * @param meta    the metadata to write (with its generation when it varies)
     * @param primary the primary key to link to {@code key} once it is committed, or null
     */
    public record Placement(StoreKey key, ObjectMeta meta, StoreKey primary) {
    }

    private final ObjectStore store;

    public Variants(ObjectStore store) {
        this.store = store;
    }

    /** The stored response that fits a request, if any. */
    public Located find(StoreKey primary, Supplier<HttpFields> requestFields) {
        Optional<StoredObject> top = store.lookup(primary);
        if (top.isEmpty()) {
            return new Located(primary, null, false);
        }
        ObjectMeta meta = top.get().meta();
        Set<String> names = CacheKeys.varyNames(meta.headers());
        if (names.isEmpty()) {
            return new Located(primary, top.get(), false);
        }
        // Only a response with Vary needs the request's fields (which a hit otherwise never builds).
        HttpFields request = requestFields.get();
        String generation = meta.header(GENERATION);
        if (generation == null && CacheKeys.variantMatches(meta, request)) {
            return new Located(primary, top.get(), false);
        }
        if (names.contains("*") || generation == null) {
            return new Located(primary, null, true);
        }
        List<Map.Entry<String, String>> entries = CacheKeys.variantEntries(meta.headers(), request);
        StoreKey key = variantKey(primary, entries);
        StoredObject variant = store.lookup(key)
                .filter(found -> generation.equals(found.meta().header(GENERATION)))
                .filter(found -> CacheKeys.variantMatches(found.meta(), names, entries, request))
                .orElse(null);
        return new Located(key, variant, variant == null);
    }

    /** Where to store a response (its metadata already holds its variant entries). */
    public Placement place(StoreKey primary, ObjectMeta meta, HttpFields request) {
        Set<String> names = CacheKeys.varyNames(meta.headers());
        if (names.isEmpty()) {
            return new Placement(primary, meta, null);
        }
        // Keep the primary key's generation while the URL varies on the same fields, so the
        // variants stored before stay usable; anything else starts afresh.
        String generation = store.lookup(primary).map(StoredObject::meta)
                .filter(top -> CacheKeys.varyNames(top.headers()).equals(names))
                .map(top -> top.header(GENERATION))
                .orElseGet(() -> UUID.randomUUID().toString());
        List<Map.Entry<String, String>> headers = new ArrayList<>(meta.headers());
        headers.add(Map.entry(GENERATION, generation));
        ObjectMeta withGeneration = new ObjectMeta(meta.status(), headers, meta.requestTime(), meta.responseTime(),
                meta.expires(), meta.bodyLength());
        return new Placement(variantKey(primary, CacheKeys.variantEntries(meta.headers(), request)), withGeneration,
                primary);
    }

    /** Points the primary key at a committed variant. */
    public void link(Placement placement) {
        if (placement.primary() != null) {
            store.link(placement.primary(), placement.key());
        }
    }

    private static StoreKey variantKey(StoreKey primary, List<Map.Entry<String, String>> variantEntries) {
        StringBuilder key = new StringBuilder(primary.key()).append(SEPARATOR).append("variant");
        for (Map.Entry<String, String> entry : variantEntries) {
            key.append(SEPARATOR).append(entry.getKey()).append('=').append(entry.getValue().replace(" ", "%20"));
        }
        return new StoreKey(primary.instance(), key.toString());
    }
}
