package org.opencache.node.store;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every change to the disk tier: it keeps the files under {@link DiskLayout} and the
 * {@link StoreIndex} in step, under one write lock, and evicts the bodies its
 * {@link DiskPolicy} chooses to stay under {@code max_disk}. Reads do not come here; they use the index directly.
 *
 * <p>The order of file operations is what makes a crash harmless: a body is renamed into place
 * before the metadata that names it, and a key's metadata is moved away before its body is
 * deleted. A crash in between leaves an unreferenced body, which the next start deletes; never a
 * key without a body.
 *
 * <p>Only renames and index updates happen under the lock. File creation and deletion are slow
 * (a few hundred microseconds each on an ext4 disk mounted with {@code discard}, measured), and
 * with one lock for the whole store every miss would wait for every other miss's file system
 * calls: new metadata is written to a temp file before the lock is taken, and the files of
 * removed and evicted objects are deleted after it is released. A removed key's metadata is
 * renamed into {@code tmp/} under the lock, so its name is free at once for a new object of the
 * same key. Every method still returns only when its files are written or deleted.
 */
final class DiskTier {
    private static final Logger LOG = LoggerFactory.getLogger(DiskTier.class);

    private final DiskLayout layout;
    private final FileLock directoryLock;
    private final StoreIndex index;
    private final long maxDisk;
    private final Clock clock;
    private final Consumer<Body> bodyDeleted;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    /**
     * @param bodyDeleted told of each body whose file is deleted (to drop it from memory)
     */
    DiskTier(DiskLayout layout, FileLock directoryLock, StoreIndex index, long maxDisk, Clock clock,
            Consumer<Body> bodyDeleted) {
        this.layout = layout;
        this.directoryLock = directoryLock;
        this.index = index;
        this.maxDisk = maxDisk;
        this.clock = clock;
        this.bodyDeleted = bodyDeleted;
    }

    /**
     * Publishes a finished body from {@code temp} under {@code key}, replacing what was there and
     * evicting older bodies if {@code max_disk} is exceeded. Returns the new body, or null (with
     * one WARN) if it could not be stored; {@code temp} is gone either way.
     */
    Body commit(StoreKey key, ObjectMeta meta, Path temp, long length) {
        String id = DiskLayout.newBodyId();
        Path bodyPath = layout.bodyPath(id);
        try {
            // Outside the lock: the name is new, so no one else can be writing or reading it.
            layout.publish(temp, bodyPath);
        } catch (IOException e) {
            LOG.warn("Not storing {}: cannot move its body to {}: {}", key, bodyPath, e.toString());
            DiskLayout.deleteQuietly(temp);
            return null;
        }
        Body body = new Body(id, length, bodyPath);
        IndexEntry entry = new IndexEntry(key, withLength(meta, length), body);
        Path metaTemp = writeMeta(entry);
        boolean stored = metaTemp != null && locked(garbage -> {
            if (closed || !install(entry, metaTemp, garbage)) {
                return false;
            }
            if (!evict(body, garbage)) {
                LOG.debug("Not storing {}: the eviction policy did not admit it", key);
                return false;
            }
            return true;
        });
        if (!stored) {
            if (metaTemp != null) {
                DiskLayout.deleteQuietly(metaTemp);
            }
            DiskLayout.deleteQuietly(bodyPath);
        }
        return stored ? body : null;
    }

    /** Rewrites a key's metadata, keeping its body; false if absent or not writable. */
    boolean updateMeta(StoreKey key, ObjectMeta meta) {
        return locked(garbage -> {
            IndexEntry current = index.get(key);
            return !closed && current != null && install(
                    new IndexEntry(key, withLength(meta, current.body().length()), current.body()), garbage);
        });
    }

    /** Makes {@code alias} serve {@code target}'s body and metadata; false if there is no target. */
    boolean link(StoreKey alias, StoreKey target) {
        return locked(garbage -> {
            IndexEntry source = index.get(target);
            if (closed || source == null) {
                return false;
            }
            index.touch(source.body());
            IndexEntry current = index.get(alias);
            return current != null && current.body() == source.body()
                    || install(new IndexEntry(alias, source.meta(), source.body()), garbage);
        });
    }

    /** Removes a key and its files; false if there was none. */
    boolean remove(StoreKey key) {
        return locked(garbage -> {
            IndexEntry removed = index.remove(key);
            if (removed != null) {
                forget(removed, garbage);
            }
            return removed != null;
        });
    }

    /** Removes {@code expected} and its files if it is still the entry under its key. */
    boolean remove(IndexEntry expected) {
        return locked(garbage -> {
            boolean removed = index.remove(expected);
            if (removed) {
                forget(expected, garbage);
            }
            return removed;
        });
    }

    /**
     * Removes every entry that matches; returns how many. The lock is taken per entry so that a
     * large purge does not hold up commits.
     */
    int removeAll(Predicate<IndexEntry> doomed) {
        int removed = 0;
        for (IndexEntry entry : index.entries()) {
            if (doomed.test(entry) && remove(entry)) {
                removed++;
            }
        }
        return removed;
    }

    /** Evicts down to {@code max_disk} (after a restart with a smaller bound). */
    void trim() {
        locked(garbage -> {
            index.policy().cleanUp();
            evict(null, garbage);
            return null;
        });
    }

    /** Stops all changes and releases the directory for another store. */
    void close() {
        locked(garbage -> {
            if (!closed) {
                closed = true;
                try {
                    directoryLock.channel().close();
                } catch (IOException e) {
                    LOG.warn("Cannot release the lock on {}: {}", layout.root(), e.toString());
                }
            }
            return null;
        });
    }

    /**
     * Runs {@code action} under the lock, then deletes the files it left in its garbage list, in
     * order (retired metadata before the bodies it named).
     */
    private <T> T locked(Function<List<Path>, T> action) {
        List<Path> garbage = new ArrayList<>(2);
        T result;
        lock.lock();
        try {
            result = action.apply(garbage);
        } finally {
            lock.unlock();
        }
        for (Path file : garbage) {
            if (!DiskLayout.deleteQuietly(file)) {
                LOG.warn("Cannot delete {}; the next start will", file);
            }
        }
        return result;
    }

    /** Writes an entry's metadata file, then indexes it; false (nothing changed) if the write failed. */
    private boolean install(IndexEntry entry, List<Path> garbage) {
        Path temp = writeMeta(entry);
        if (temp == null) {
            return false;
        }
        if (install(entry, temp, garbage)) {
            return true;
        }
        DiskLayout.deleteQuietly(temp);
        return false;
    }

    /** Renames an entry's written metadata into place, then indexes it; false (with one WARN) if that failed. */
    private boolean install(IndexEntry entry, Path metaTemp, List<Path> garbage) {
        Path path = layout.metaPath(entry.key());
        try {
            layout.publish(metaTemp, path);
        } catch (IOException e) {
            LOG.warn("Not storing {}: cannot write {}: {}", entry.key(), path, e.toString());
            return false;
        }
        release(index.put(entry), garbage);
        return true;
    }

    /**
     * Carries out the policy's evictions, then, should the bytes on disk still be over
     * {@code max_disk}, evicts what the policy holds coldest until they are not. Returns false if
     * {@code spared} (a body just committed) was itself evicted: the policy refused to admit it.
     */
    private boolean evict(Body spared, List<Path> garbage) {
        boolean kept = true;
        for (Body victim = index.policy().pollVictim(); victim != null; victim = index.policy().pollVictim()) {
            kept &= victim != spared;
            evictBody(victim, garbage);
        }
        while (maxDisk > 0 && index.diskBytes() > maxDisk) {
            Body victim = index.policy().coldest(spared);
            if (victim == null) {
                break;
            }
            evictBody(victim, garbage);
        }
        return kept;
    }

    private void evictBody(Body victim, List<Path> garbage) {
        if (victim.keys().isEmpty()) {
            index.policy().remove(victim); // removed since the policy chose it
            return;
        }
        LOG.debug("Evicting body {} ({} bytes, keys {}) to stay under max_disk", victim.id(), victim.length(),
                victim.keys());
        for (StoreKey key : List.copyOf(victim.keys())) {
            forget(index.remove(key), garbage);
        }
    }

    /** An entry's metadata in a temp file, ready to be renamed into place; null (with one WARN) if it cannot be written. */
    private Path writeMeta(IndexEntry entry) {
        try {
            return layout.writeTemp(MetaFile.of(entry, clock.instant()).toBytes());
        } catch (IOException e) {
            LOG.warn("Not storing {}: cannot write its metadata under {}: {}", entry.key(), layout.tempDir(),
                    e.toString());
            return null;
        }
    }

    /** Moves away the metadata of an entry already removed from the index; its files are deleted later. */
    private void forget(IndexEntry removed, List<Path> garbage) {
        Path meta = layout.metaPath(removed.key());
        try {
            Path retired = layout.retire(meta);
            if (retired != null) {
                garbage.add(retired);
            }
        } catch (IOException e) {
            if (!DiskLayout.deleteQuietly(meta)) {
                LOG.warn("Cannot delete {}; {} may come back after a restart", meta, removed.key());
            }
        }
        release(removed, garbage);
    }

    /** Schedules the deletion of a replaced or removed entry's body once no key serves it. */
    private void release(IndexEntry old, List<Path> garbage) {
        if (old == null || !old.body().keys().isEmpty()) {
            return;
        }
        garbage.add(old.body().path());
        bodyDeleted.accept(old.body());
    }

    private static ObjectMeta withLength(ObjectMeta meta, long length) {
        return meta.bodyLength() == length ? meta : new ObjectMeta(meta.status(), meta.headers(),
                meta.requestTime(), meta.responseTime(), meta.expires(), length);
    }
}
