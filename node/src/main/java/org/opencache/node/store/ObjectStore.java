package org.opencache.node.store;

import java.time.Instant;
import java.util.Optional;

/**
 * The node's cache storage: a memory tier bounded by {@code max_cache_size} over a disk tier
 * bounded by {@code max_disk} under {@code cache_path}, shared by all instances. Objects larger
 * than {@code max_item_size} are never stored. The disk tier's index survives a restart.
 * Thread-safe.
 */
public interface ObjectStore extends AutoCloseable {

    /** The object stored under {@code key} (following a {@link #link seed link}), if any. */
    Optional<StoredObject> lookup(StoreKey key);

    /**
     * Starts storing a response under {@code key}; it replaces any previous object there on
     * commit. {@code meta.bodyLength()} may be -1 when the length is not known in advance; the
     * stored metadata then carries the real length. Never throws for storage problems: it returns
     * a writer whose {@link StoreWriter#commit()} is false.
     */
    StoreWriter begin(StoreKey key, ObjectMeta meta);

    /** Replaces the metadata of a stored object (after a 304 revalidation); false if absent. */
    boolean updateMeta(StoreKey key, ObjectMeta meta);

    /** Removes one object (or link); false if there was none. */
    boolean remove(StoreKey key);

    /**
     * Makes {@code alias} serve the object stored under {@code target} ({@code seed}): one body
     * on disk and in memory, served for each alias. The alias takes the target's current body and
     * metadata; afterwards both are keys of their own that share the body, which stays until the
     * last of them is removed or replaced. Does nothing if {@code target} is not stored.
     */
    void link(StoreKey alias, StoreKey target);

    /**
     * Removes what {@code match} names, from memory and disk (tombstones keep it from coming back
     * after a restart); returns how many keys were removed. Afterwards none of it is served, and
     * a write that began before the purge and commits after it is refused
     * ({@link StoreRefusal#PURGED}), so a fill in flight cannot bring it back.
     */
    int purge(PurgeMatch match);

    /** Removes every object and link of an instance ({@code stop}). */
    void removeInstance(String instance);

    /**
     * Removes objects whose {@code expires} is before {@code cutoff}; returns how many. The store
     * never judges freshness itself: {@code expires} is the writer's statement of when the object
     * stops being useful, which may be well after it turns stale.
     */
    int purgeExpiredBefore(Instant cutoff);

    /** Number of objects stored for an instance (links not counted: keys sharing a body are one). */
    long objectCount(String instance);

    /** Bytes of bodies stored for an instance (each body counted once). */
    long objectBytes(String instance);

    /** Bytes of all bodies stored, each counted once however many instances or keys share it. */
    long diskBytes();

    /** Flushes the index; after close a new store on the same {@code cache_path} sees the same objects. */
    @Override
    void close();
}
