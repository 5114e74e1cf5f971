package org.opencache.node.store;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every change to the disk tier: it keeps the files under {@link DiskLayout} and the
 * {@link StoreIndex} in step, and evicts the bodies its {@link DiskPolicy} chooses to stay under
 * {@code max_disk}. Reads do not come here; they use the index directly.
 *
 * <p>The order of file operations is what makes a crash harmless: a body is renamed into place
 * before the metadata that names it, and a key's metadata is moved away before its body is
 * deleted. A crash in between leaves an unreferenced body, which the next start deletes; never a
 * key without a body.
 *
 * <h2>Locks</h2>
 * No file system call happens under the lock that every change shares. File creation, renames
 * and deletions take from tens of microseconds to milliseconds on a busy disk (measured on this
 * project's ext4 test machine), and a thread that sleeps in one while holding a store-wide lock
 * makes every other miss queue behind it: a JFR profile of the Zipf benchmark showed origin
 * threads parked 300 ms on average in such a convoy. So:
 * <ul>
 *   <li>the <em>index lock</em> guards the {@link StoreIndex} and the {@link DiskPolicy} only:
 *       memory operations of a few microseconds;</li>
 *   <li>a <em>key lock</em> (one of {@value #KEY_LOCKS} stripes) is held while a key's metadata
 *       file is renamed into or out of place and the index updated to match, so two changes to
 *       one key reach the disk and the index in the same order;</li>
 *   <li>new metadata is written to a temp file before any lock is taken, and bodies are deleted
 *       after all locks are released; the metadata of an evicted key is deleted under its own
 *       key lock afterwards, unless a newer object of that key has replaced it meanwhile.</li>
 * </ul>
 * A key lock is taken before the index lock, never the other way round, and no thread holds two
 * key locks. Every method returns only when its files are written or deleted.
 */
final class DiskTier {
    private static final Logger LOG = LoggerFactory.getLogger(DiskTier.class);
    private static final int KEY_LOCKS = 64;

    private final DiskLayout layout;
    private final FileLock directoryLock;
    private final StoreIndex index;
    private final long maxDisk;
    private final Clock clock;
    private final Consumer<Body> bodyDeleted;
    private final ReentrantLock indexLock = new ReentrantLock();
    private final ReentrantLock[] keyLocks = new ReentrantLock[KEY_LOCKS];
    private volatile boolean closed;

    /** What a change leaves to do once its locks are released. */
    private static final class Aftermath {
        /** Entries evicted from the index whose metadata files are still in place. */
        final List<IndexEntry> evicted = new ArrayList<>();
        /** Bodies no key serves, to delete once their metadata is gone. */
        final List<Path> files = new ArrayList<>(2);
    }

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
        for (int i = 0; i < KEY_LOCKS; i++) {
            keyLocks[i] = new ReentrantLock();
        }
    }

    /**
     * Publishes a finished body from {@code temp} under {@code key}, replacing what was there and
     * evicting other bodies as the policy decides. Returns the new body, or null if it was not
     * stored (a disk error, with one WARN, or the policy did not admit it); {@code temp} is gone
     * either way.
     */
    Body commit(StoreKey key, ObjectMeta meta, Path temp, long length) {
        String id = DiskLayout.newBodyId();
        Path bodyPath = layout.bodyPath(id);
        try {
            // No lock: the name is new, so no one else can be writing or reading it.
            layout.publish(temp, bodyPath);
        } catch (IOException e) {
            LOG.warn("Not storing {}: cannot move its body to {}: {}", key, bodyPath, e.toString());
            DiskLayout.deleteQuietly(temp);
            return null;
        }
        Body body = new Body(id, length, bodyPath);
        IndexEntry entry = new IndexEntry(key, meta.withBodyLength(length), body);
        Path metaTemp = writeMeta(entry);
        boolean stored = metaTemp != null && changing(key, after -> {
            if (closed || !publishMeta(entry, metaTemp)) {
                return false;
            }
            boolean admitted = indexed(() -> {
                release(index.put(entry), after);
                return evict(body, after);
            });
            if (!admitted) {
                LOG.debug("Not storing {}: the eviction policy did not admit it", key);
            }
            return admitted;
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
        return changing(key, after -> {
            IndexEntry current = index.get(key);
            if (closed || current == null) {
                return false;
            }
            return install(new IndexEntry(key, meta.withBodyLength(current.body().length()), current.body()),
                    () -> index.get(key) == current, after);
        });
    }

    /** Makes {@code alias} serve {@code target}'s body and metadata; false if there is no target. */
    boolean link(StoreKey alias, StoreKey target) {
        return changing(alias, after -> {
            IndexEntry source = index.get(target);
            if (closed || source == null) {
                return false;
            }
            index.touch(source.body());
            IndexEntry current = index.get(alias);
            return current != null && current.body() == source.body()
                    || install(new IndexEntry(alias, source.meta(), source.body()),
                            () -> index.get(target) == source, after);
        });
    }

    /** Removes a key and its files; false if there was none. */
    boolean remove(StoreKey key) {
        return changing(key, after -> {
            IndexEntry removed = indexed(() -> {
                IndexEntry old = index.remove(key);
                release(old, after);
                return old;
            });
            if (removed != null) {
                deleteMeta(key);
            }
            return removed != null;
        });
    }

    /** Removes {@code expected} and its files if it is still the entry under its key. */
    boolean remove(IndexEntry expected) {
        return changing(expected.key(), after -> {
            boolean removed = indexed(() -> {
                boolean gone = index.remove(expected);
                if (gone) {
                    release(expected, after);
                }
                return gone;
            });
            if (removed) {
                deleteMeta(expected.key());
            }
            return removed;
        });
    }

    /**
     * Removes every entry that matches; returns how many. The locks are taken per entry so that a
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
        Aftermath after = new Aftermath();
        indexed(() -> {
            index.policy().cleanUp();
            return evict(null, after);
        });
        finish(after);
    }

    /** Stops all changes and releases the directory for another store. */
    void close() {
        indexed(() -> {
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

    /** Runs {@code action} under the key lock of {@code key}, then does what it left to do. */
    private <T> T changing(StoreKey key, Function<Aftermath, T> action) {
        Aftermath after = new Aftermath();
        ReentrantLock keyLock = keyLock(key);
        T result;
        keyLock.lock();
        try {
            result = action.apply(after);
        } finally {
            keyLock.unlock();
        }
        finish(after);
        return result;
    }

    /** Runs {@code action} under the index lock: no file system calls in it. */
    private <T> T indexed(Supplier<T> action) {
        indexLock.lock();
        try {
            return action.get();
        } finally {
            indexLock.unlock();
        }
    }

    /**
     * After the locks of a change: deletes the metadata of the keys it evicted (each under its
     * own key lock), then the bodies no key serves.
     */
    private void finish(Aftermath after) {
        for (IndexEntry evicted : after.evicted) {
            ReentrantLock keyLock = keyLock(evicted.key());
            keyLock.lock();
            try {
                // A newer object of the key has replaced the file since, under this same lock.
                if (index.get(evicted.key()) == null) {
                    deleteMeta(evicted.key());
                }
            } finally {
                keyLock.unlock();
            }
        }
        for (Path file : after.files) {
            if (!DiskLayout.deleteQuietly(file)) {
                LOG.warn("Cannot delete {}; the next start will", file);
            }
        }
    }

    private ReentrantLock keyLock(StoreKey key) {
        int hash = key.hashCode();
        return keyLocks[(hash ^ (hash >>> 16)) & (KEY_LOCKS - 1)];
    }

    /**
     * Writes an entry's metadata and indexes it if {@code stillValid} holds by then (checked under
     * the index lock); false, with the file moved away again, if the write failed or the entry
     * was no longer valid. Key lock held.
     */
    private boolean install(IndexEntry entry, BooleanSupplier stillValid, Aftermath after) {
        Path temp = writeMeta(entry);
        if (temp == null) {
            return false;
        }
        if (!publishMeta(entry, temp)) {
            DiskLayout.deleteQuietly(temp);
            return false;
        }
        boolean installed = indexed(() -> {
            if (!stillValid.getAsBoolean()) {
                return false;
            }
            release(index.put(entry), after);
            return true;
        });
        if (!installed) {
            // Evicted or replaced while the file was written: its metadata must not outlive it.
            deleteMeta(entry.key());
        }
        return installed;
    }

    /** Renames an entry's written metadata into place; false (with one WARN) if that failed. Key lock held. */
    private boolean publishMeta(IndexEntry entry, Path metaTemp) {
        Path path = layout.metaPath(entry.key());
        try {
            layout.publish(metaTemp, path);
            return true;
        } catch (IOException e) {
            LOG.warn("Not storing {}: cannot write {}: {}", entry.key(), path, e.toString());
            return false;
        }
    }

    /**
     * Carries out the policy's evictions, then, should the bytes on disk still be over
     * {@code max_disk}, evicts what the policy holds coldest until they are not. Returns false if
     * {@code spared} (a body just committed) was itself evicted: the policy refused to admit it.
     * Index lock held.
     */
    private boolean evict(Body spared, Aftermath after) {
        boolean kept = true;
        for (Body victim = index.policy().pollVictim(); victim != null; victim = index.policy().pollVictim()) {
            kept &= victim != spared;
            evictBody(victim, after);
        }
        while (maxDisk > 0 && index.diskBytes() > maxDisk) {
            Body victim = index.policy().coldest(spared);
            if (victim == null) {
                break;
            }
            evictBody(victim, after);
        }
        return kept;
    }

    private void evictBody(Body victim, Aftermath after) {
        if (victim.keys().isEmpty()) {
            index.policy().remove(victim); // removed since the policy chose it
            return;
        }
        LOG.debug("Evicting body {} ({} bytes, keys {}) to stay under max_disk", victim.id(), victim.length(),
                victim.keys());
        for (StoreKey key : List.copyOf(victim.keys())) {
            IndexEntry removed = index.remove(key);
            after.evicted.add(removed);
            release(removed, after);
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

    /**
     * Deletes a key's metadata file. Key lock held, the key out of the index: only a change to
     * this same key could wait for the unlink.
     */
    private void deleteMeta(StoreKey key) {
        Path meta = layout.metaPath(key);
        if (!DiskLayout.deleteQuietly(meta)) {
            LOG.warn("Cannot delete {}; {} may come back after a restart", meta, key);
        }
    }

    /** Schedules the deletion of a replaced or removed entry's body once no key serves it. Index lock held. */
    private void release(IndexEntry old, Aftermath after) {
        if (old == null || !old.body().keys().isEmpty()) {
            return;
        }
        after.files.add(old.body().path());
        bodyDeleted.accept(old.body());
    }
}
