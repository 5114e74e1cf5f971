package org.opencache.node.store;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * One body file on disk, shared by every key that {@link ObjectStore#link links} to it. The
 * body is deleted when its last key goes.
 *
 * <p>{@link #lastAccess} is written by lookups without a lock (one volatile store); everything
 * else that changes is guarded by the store's write lock.
 */
final class Body {
    private final String id;
    private final long length;
    private final Path path;
    private final Set<StoreKey> keys = new HashSet<>();
    private volatile long lastAccess;
    private long queuedAccess;

    Body(String id, long length, Path path, long lastAccess) {
        this.id = id;
        this.length = length;
        this.path = path;
        this.lastAccess = lastAccess;
        this.queuedAccess = lastAccess;
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

    /** Records a use; {@code tick} comes from the store's logical access clock. */
    void touch(long tick) {
        lastAccess = tick;
    }

    /** The tick of the latest use. */
    long lastAccess() {
        return lastAccess;
    }

    /** The tick under which {@link DiskLru} has this body queued (write lock held). */
    long queuedAccess() {
        return queuedAccess;
    }

    /** Changes the queued tick; only while the body is out of {@link DiskLru}'s queue. */
    void requeueAt(long tick) {
        queuedAccess = tick;
    }

    /** The keys that serve this body (write lock held). */
    Set<StoreKey> keys() {
        return keys;
    }
}
