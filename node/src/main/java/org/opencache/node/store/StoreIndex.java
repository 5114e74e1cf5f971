package org.opencache.node.store;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory index of the disk tier: key → entry for every stored object and link, plus the
 * bookkeeping that hangs off it (which keys serve each body, per-instance usage, the eviction
 * policy's view of the bodies, bytes on disk).
 *
 * <p>{@link #get} is a lock-free read of a {@link ConcurrentHashMap}; every method that changes
 * the index must be called under the store's write lock, which is what keeps the bookkeeping
 * consistent with the map.
 */
final class StoreIndex {
    private final ConcurrentHashMap<StoreKey, IndexEntry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, InstanceUsage> usage = new ConcurrentHashMap<>();
    private final DiskPolicy policy;
    private volatile long diskBytes;

    /** An empty index whose bodies {@code policy} tracks. */
    StoreIndex(DiskPolicy policy) {
        this.policy = policy;
    }

    /** The entry stored under {@code key}, or null. Lock-free. */
    IndexEntry get(StoreKey key) {
        return entries.get(key);
    }

    /** Records a use of {@code body} with the eviction policy. Lock-free. */
    void touch(Body body) {
        policy.touch(body);
    }

    /**
     * Stores {@code entry}, replacing any entry under its key; returns the replaced entry, or
     * null. The replaced entry's body is orphaned when its {@link Body#keys()} is then empty.
     */
    IndexEntry put(IndexEntry entry) {
        IndexEntry old = entries.get(entry.key());
        if (old == null || old.body() != entry.body()) {
            // Before the entry is visible: a lock-free lookup must find its body fully tracked.
            attach(entry);
        }
        entries.put(entry.key(), entry);
        if (old != null && old.body() != entry.body()) {
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

    /** The eviction policy over the indexed bodies. */
    DiskPolicy policy() {
        return policy;
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
        boolean added = body.keys().isEmpty();
        body.keys().add(entry.key());
        if (added) {
            body.policyKey(entry.key());
            policy.add(body);
            diskBytes = diskBytes + body.length();
        }
        usage.computeIfAbsent(entry.key().instance(), i -> new InstanceUsage()).add(body);
    }

    private void detach(IndexEntry entry) {
        Body body = entry.body();
        body.keys().remove(entry.key());
        if (body.keys().isEmpty()) {
            policy.remove(body);
            diskBytes = diskBytes - body.length();
        } else if (body.policyKey().equals(entry.key())) {
            // Still served by other keys (a seed, a variant's primary key): tracked under one of them.
            policy.rekey(body, body.keys().iterator().next());
        }
        String instance = entry.key().instance();
        InstanceUsage held = usage.get(instance);
        if (held != null && held.remove(body)) {
            usage.remove(instance);
        }
    }
}
