package org.opencache.node.store;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * One body file on disk, shared by every key that {@link ObjectStore#link links} to it. The
 * body is deleted when its last key goes.
 *
 * <p>Everything that changes is guarded by the store's write lock; {@link #policyKey} is also
 * read without it by lookups, hence volatile.
 */
final class Body {
    private final String id;
    private final long length;
    private final Path path;
    private final Set<StoreKey> keys = new HashSet<>();
    private volatile StoreKey policyKey;

    Body(String id, long length, Path path) {
        this.id = id;
        this.length = length;
        this.path = path;
    }

    /** The random id that names the body file and keys the memory tier. */
    String id() {
        return id;
    }

    /** The body's length in bytes. */
    long length() {
        return length;
    }

    /** The body file. */
    Path path() {
        return path;
    }

    /** The keys that serve this body (write lock held). */
    Set<StoreKey> keys() {
        return keys;
    }

    /** The key under which {@link DiskPolicy} tracks this body: one of its {@link #keys()}. */
    StoreKey policyKey() {
        return policyKey;
    }

    /** Changes the key the policy tracks this body under (write lock held, body out of the policy). */
    void policyKey(StoreKey key) {
        policyKey = key;
    }
}
