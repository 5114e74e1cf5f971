package org.opencache.node.store;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory index of the disk tier: key → entry for every stored object and link, plus the
 * bookkeeping that hangs off it (which keys serve each body, per-instance usage, LRU order,
 * bytes on disk).
 *
 * <p>{@link #get} is a lock-free read of a {@link ConcurrentHashMap}; every method that changes
 * the index must be called under the store's write lock, which is what keeps the bookkeeping
 * consistent with the map.
 */
final class StoreIndex {
    private final ConcurrentHashMap<StoreKey, IndexEntry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, InstanceUsage> usage = new ConcurrentHashMap<>();
    private final DiskLru lru = new DiskLru();
    private final AtomicLong ticks;
    private volatile long diskBytes;

    /** An empty index whose logical access clock starts after {@code lastTick}. */
    StoreIndex(long lastTick) {
        this.ticks = new AtomicLong(lastTick);
    }

    /** The entry stored under {@code key}, or null. Lock-free. */
    IndexEntry get(StoreKey key) {
        return entries.get(key);
    }

    /**
     * The next tick of the logical access clock. A counter rather than {@code System.nanoTime()}
     * so that LRU order is exact and repeatable; it is the one shared write on the lookup path.
     */
    long nextTick() {
        return ticks.incrementAndGet();
    }

    /**
     * Stores {@code entry}, replacing any entry under its key; returns the replaced entry, or
     * null. The replaced entry's body is orphaned when its {@link Body#keys()} is then empty.
     */
    IndexEntry put(IndexEntry entry) {
        IndexEntry old = entries.put(entry.key(), entry);
        if (old != null && old.body() == entry.body()) {
            return old;
        }
        attach(entry);
        if (old != null) {
            detach(old);
        }
        return old;
    }

    /** Removes the entry under {@code key}; returns it, or null. */
    IndexEntry remove(StoreKey key) {
        IndexEntry old = entries.remove(key);
        if (old != null) {
            detach(old);
        }
        return old;
    }

    /** Removes {@code expected} only if it is still the entry under its key. */
    boolean remove(IndexEntry expected) {
        if (!entries.remove(expected.key(), expected)) {
            return false;
        }
        detach(expected);
        return true;
    }

    /** A live view of all entries (weakly consistent when iterated). */
    Collection<IndexEntry> entries() {
        return entries.values();
    }

    /** The least recently used body other than {@code spared}, or null. */
    Body eldest(Body spared) {
        return lru.eldest(spared);
    }

    /** Bytes of all bodies, each counted once. */
    long diskBytes() {
        return diskBytes;
    }

    /** Number of keys (objects and links). */
    int size() {
        return entries.size();
    }

    /** Usage of one instance, or null if it holds nothing. */
    InstanceUsage usage(String instance) {
        return usage.get(instance);
    }

    private void attach(IndexEntry entry) {
        Body body = entry.body();
        if (body.keys().isEmpty()) {
            lru.add(body);
            diskBytes = diskBytes + body.length();
        }
        body.keys().add(entry.key());
        usage.computeIfAbsent(entry.key().instance(), i -> new InstanceUsage()).add(body);
    }

    private void detach(IndexEntry entry) {
        Body body = entry.body();
        body.keys().remove(entry.key());
        if (body.keys().isEmpty()) {
            lru.remove(body);
            diskBytes = diskBytes - body.length();
        }
        String instance = entry.key().instance();
        InstanceUsage held = usage.get(instance);
        if (held != null && held.remove(body)) {
            usage.remove(instance);
        }
    }
}
