package org.opencache.node.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the heap keeps of hot objects, bounded by {@code max_cache_size} in bytes: the parsed
 * metadata of each, and the body of those up to the item limit. A hit found here touches neither
 * the disk nor a parser. Entries are keyed by the key's digest and name the record they were
 * read from, so one that a newer record has replaced is never served ({@link #get}).
 *
 * <p>Caffeine evicts by weight (body, header fields and a fixed overhead per entry, so that a
 * million tiny objects cannot take the heap unnoticed) with its W-TinyLFU policy. Its
 * maintenance runs on the calling thread ({@code executor(Runnable::run)}): no pool threads, and
 * the bound holds as soon as a put returns.
 *
 * <p>{@code max_cache_size = 0} means "no configured bound", but a heap cache without a bound
 * would take the node down with an {@link OutOfMemoryError}; it is read as a quarter of the
 * maximum heap instead, which is operator-visible through {@code -Xmx}.
 */
final class MemoryTier {
    /** Largest body kept in memory when {@code max_item_size} is 0 (no limit). */
    static final long UNLIMITED_ITEM_CAP = 64L << 20;
    /** Heap an entry costs besides its body and fields: Caffeine's node, the entry, the digest. */
    static final int ENTRY_OVERHEAD = 160;

    /**
     * An object as the heap keeps it: the record it was read from (which moves when reclaiming
     * copies the record forward), its parsed metadata, and its body, or null when it is too large
     * to keep here.
     */
    static final class Cached {
        private volatile long location;
        private final ObjectMeta meta;
        private final byte[] body;

        Cached(long location, ObjectMeta meta, byte[] body) {
            this.location = location;
            this.meta = meta;
            this.body = body;
        }

        /** The index location of the record it was read from. */
        long location() {
            return location;
        }

        /** Its parsed metadata. */
        ObjectMeta meta() {
            return meta;
        }

        /** Its body, or null. */
        byte[] body() {
            return body;
        }
    }

    private final Cache<StoreDigest, Cached> cache;
    /** Entries Caffeine dropped for room (its size policy), for the metrics. */
    private final LongAdder evictions = new LongAdder();
    private final long maxWeight;
    private final long itemLimit;

    /** A memory tier for the configured bounds (bytes; 0 = no limit). */
    MemoryTier(long maxCacheSize, long maxItemSize) {
        this.maxWeight = maxCacheSize > 0 ? maxCacheSize : Runtime.getRuntime().maxMemory() / 4;
        long itemCap = maxItemSize > 0 ? maxItemSize : UNLIMITED_ITEM_CAP;
        // A body larger than the whole tier would only evict everything and then itself.
        this.itemLimit = Math.min(Math.min(itemCap, maxWeight), Integer.MAX_VALUE - 8);
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxWeight)
                .weigher((StoreDigest digest, Cached cached) -> weight(cached))
                .executor(Runnable::run)
                .evictionListener((StoreDigest digest, Cached cached, RemovalCause cause) -> evictions.increment())
                .build();
    }

    /** Whether a body of {@code length} bytes is kept in memory at all. */
    boolean admits(long length) {
        return length <= itemLimit;
    }

    /** The largest body kept in memory. */
    long itemLimit() {
        return itemLimit;
    }

    /** What the heap holds of the record at {@code location} of {@code digest}, or null. */
    Cached get(StoreDigest digest, long location) {
        Cached cached = cache.getIfPresent(digest);
        return cached != null && cached.location() == location ? cached : null;
    }

    /** Keeps an object read or written; the caller no longer changes {@code body}. */
    void put(StoreDigest digest, Cached cached) {
        if (cached.body() == null || admits(cached.body().length)) {
            cache.put(digest, cached);
        }
    }

    /**
     * Drops what the heap holds of {@code digest}. Most keys a store replaces or evicts are not
     * here, and a look costs far less than Caffeine's removal path (a profile of the Zipf
     * benchmark had that at an eighth of reclaiming).
     */
    void invalidate(StoreDigest digest) {
        if (cache.asMap().containsKey(digest)) {
            cache.invalidate(digest);
        }
    }

    /**
     * What the heap holds of {@code digest}, read from {@code from}, now names {@code to}: its
     * record moved (key lock held). Changes the entry in place: a write through Caffeine per moved
     * record was a fifth of reclaiming's cost in a profile of the Zipf benchmark.
     */
    void relocate(StoreDigest digest, long from, long to) {
        Cached cached = cache.asMap().get(digest);
        if (cached != null && cached.location == from) {
            cached.location = to;
        }
    }

    /** Drops everything. */
    void clear() {
        cache.invalidateAll();
    }

    /** Bytes held now, by the weigher's count. */
    long weight() {
        return cache.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    /** Entries held now (an estimate: pending maintenance may not have run). */
    long entries() {
        return cache.estimatedSize();
    }

    /** Entries evicted for room so far. */
    long evictions() {
        return evictions.sum();
    }

    /** The bound in bytes. */
    long maxWeight() {
        return maxWeight;
    }

    /** Runs pending evictions now (tests, and before reading {@link #weight()} exactly). */
    void cleanUp() {
        cache.cleanUp();
    }

    private static int weight(Cached cached) {
        long fields = 0;
        for (var field : cached.meta().headers()) {
            fields += 64 + field.getKey().length() + field.getValue().length();
        }
        long body = cached.body() == null ? 0 : cached.body().length;
        return (int) Math.min(Integer.MAX_VALUE, ENTRY_OVERHEAD + fields + body);
    }
}
