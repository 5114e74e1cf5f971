package org.opencache.node.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileLock;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.opencache.common.config.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@link ObjectStore}: a heap tier over a disk tier under {@code cache_path/objects/}.
 *
 * <h2>Layout and persistence</h2>
 * Each key has a small JSON metadata file ({@link MetaFile}) naming a body file by a random id
 * ({@link DiskLayout}). Keys made by {@link #link} name the same body, so a seeded object is
 * stored once; a body file is deleted when the last key naming it goes. Every file is written
 * to {@code tmp/} and renamed into place, bodies before the metadata that names them: a crash
 * never makes a partial object visible. All changes are on disk when a method returns, so the
 * index needs no flushing; a new store rebuilds it by scanning the metadata files
 * ({@link IndexLoader}), deleting temp files, unreadable metadata, bodies of the wrong size and
 * bodies nothing names.
 *
 * <h2>Concurrency</h2>
 * The index is a {@link java.util.concurrent.ConcurrentHashMap} of immutable entries; a lookup
 * is one map read and two Caffeine reads (the memory tier, and the disk policy's record of the
 * use), with no lock and two small allocations. Writers stream to their own temp files without any
 * lock; commit, link, update and removal are ordered per key, and the index lock they share is
 * held for memory work only: no file is created, renamed or deleted under it ({@link DiskTier}
 * says why and how).
 * Readers of a replaced or evicted object keep reading: an open file survives its deletion on
 * POSIX, and memory bodies are immutable arrays. A disk lookup whose file vanishes before
 * {@link StoredObject#openBody()} sees {@link NoSuchFileException}: a miss to the caller.
 *
 * <h2>Eviction</h2>
 * The disk tier holds at most {@code max_disk} bytes of bodies. Which bodies stay is decided by
 * Caffeine's W-TinyLFU ({@link DiskPolicy}), so that objects asked for often are not pushed out
 * by a run of objects asked for once; a commit that the policy does not admit is not stored.
 * Evicting a body removes all its keys. The policy's history lives in memory only; after a
 * restart it starts from the order keys were last written. The memory tier ({@link MemoryTier})
 * is Caffeine weighted by body length up to {@code max_cache_size}, for bodies up to
 * {@code max_item_size}; a commit puts its body there, a disk hit loads it.
 * Objects above {@code max_item_size} (or {@code max_disk}) are refused: at {@link #begin} when
 * their length is known, else as soon as the body grows past it.
 *
 * <h2>Failure</h2>
 * A disk error while storing never reaches the caller: the writer becomes a no-op, logs one WARN
 * naming the file and cause, deletes its temp file and {@link StoreWriter#commit()} returns
 * false. Nothing is left broken, so the next write works as soon as the disk does (missing
 * directories are created again).
 */
public final class TieredObjectStore implements ObjectStore {
    private static final Logger LOG = LoggerFactory.getLogger(TieredObjectStore.class);

    private final DiskLayout layout;
    private final StoreIndex index;
    private final MemoryTier memory;
    private final OpenBodyFiles files;
    private final DiskTier disk;
    private final long itemLimit;
    private volatile boolean closed;

    private TieredObjectStore(DiskLayout layout, StoreIndex index, MemoryTier memory, OpenBodyFiles files,
            DiskTier disk, long itemLimit) {
        this.layout = layout;
        this.index = index;
        this.memory = memory;
        this.files = files;
        this.disk = disk;
        this.itemLimit = itemLimit;
    }

    /**
     * Opens the store under {@code cachePath}, creating it or loading what a previous store left.
     * Sizes are bytes, 0 meaning no limit.
     *
     * @param openBodyFiles body files kept open for sendfile, {@code >= 1} ({@code open_body_files})
     * @param clock         stamps metadata writes (the eviction order after a restart)
     * @throws IOException if the directory cannot be created or read, or another store has it open
     */
    public static TieredObjectStore open(Path cachePath, long maxCacheSize, long maxDisk,
            long maxItemSize, int openBodyFiles, Clock clock) throws IOException {
        if (maxCacheSize < 0 || maxDisk < 0 || maxItemSize < 0) {
            throw new IllegalArgumentException("sizes must be 0 (no limit) or positive");
        }
        DiskLayout layout = new DiskLayout(cachePath);
        FileLock lock = layout.lock();
        try {
            long started = System.nanoTime();
            StoreIndex index = IndexLoader.load(layout, new DiskPolicy());
            LOG.info("Loaded {} cached keys ({} bytes of bodies) from {} in {} ms", index.size(),
                    index.diskBytes(), layout.root(), (System.nanoTime() - started) / 1_000_000);
            MemoryTier memory = new MemoryTier(maxCacheSize, maxItemSize);
            OpenBodyFiles files = new OpenBodyFiles(openBodyFiles);
            DiskTier disk = new DiskTier(layout, lock, index, maxDisk, clock, body -> {
                memory.invalidate(body);
                files.invalidate(body);
            });
            index.policy().limit(maxDisk);
            disk.trim();
            return new TieredObjectStore(layout, index, memory, files, disk, minLimit(maxItemSize, maxDisk));
        } catch (IOException | RuntimeException e) {
            lock.channel().close();
            throw e;
        }
    }

    /**
     * Opens the store with a node's {@code cache_path}, {@code max_cache_size}, {@code max_disk},
     * {@code max_item_size} and {@code open_body_files}.
     */
    public static TieredObjectStore open(NodeConfig config, Clock clock) throws IOException {
        return open(config.cachePath(), config.maxCacheSize(), config.maxDisk(), config.maxItemSize(),
                config.openBodyFiles(), clock);
    }

    @Override
    public Optional<StoredObject> lookup(StoreKey key) {
        IndexEntry entry = index.get(key);
        if (entry == null || closed) {
            return Optional.empty();
        }
        Body body = entry.body();
        index.touch(body);
        return Optional.of(new TieredObject(entry, memory.get(body), this));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns a writer that stores nothing if the store is closed, the declared length is over
     * {@code max_item_size} or {@code max_disk}, or no temp file can be created.
     */
    @Override
    public StoreWriter begin(StoreKey key, ObjectMeta meta) {
        if (closed) {
            return RefusedWriter.INSTANCE;
        }
        if (itemLimit > 0 && meta.bodyLength() > itemLimit) {
            LOG.debug("Not storing {}: {} bytes is over the {} byte limit", key, meta.bodyLength(), itemLimit);
            return RefusedWriter.INSTANCE;
        }
        return TieredWriter.open(this, layout, key, meta, itemLimit, memory.itemLimit());
    }

    /** {@inheritDoc} The body length stays that of the stored body. False also if the file cannot be written. */
    @Override
    public boolean updateMeta(StoreKey key, ObjectMeta meta) {
        return disk.updateMeta(key, meta);
    }

    @Override
    public boolean remove(StoreKey key) {
        return disk.remove(key);
    }

    @Override
    public void link(StoreKey alias, StoreKey target) {
        if (!alias.equals(target) && !disk.link(alias, target)) {
            LOG.debug("Not linking {}: {} is not stored", alias, target);
        }
    }

    @Override
    public void removeInstance(String instance) {
        int removed = disk.removeAll(entry -> entry.key().instance().equals(instance));
        LOG.debug("Removed {} keys of instance {}", removed, instance);
    }

    @Override
    public int purgeExpiredBefore(Instant cutoff) {
        return disk.removeAll(entry -> {
            Instant expires = entry.meta().expires();
            return expires != null && expires.isBefore(cutoff);
        });
    }

    @Override
    public long objectCount(String instance) {
        InstanceUsage usage = index.usage(instance);
        return usage == null ? 0 : usage.bodies();
    }

    @Override
    public long objectBytes(String instance) {
        InstanceUsage usage = index.usage(instance);
        return usage == null ? 0 : usage.bytes();
    }

    /** Bytes of all bodies on disk, each counted once (the basis of {@code alert_disk}). */
    @Override
    public long diskBytes() {
        return index.diskBytes();
    }

    /** Bytes of bodies held in the memory tier. */
    public long memoryBytes() {
        return memory.weight();
    }

    /** {@inheritDoc} Every change is already on disk; this stops changes and releases the directory. */
    @Override
    public void close() {
        closed = true;
        disk.close();
        memory.clear();
        files.clear();
    }

    /** Called by a writer's commit: makes its finished temp file the body of {@code key}. */
    boolean publish(StoreKey key, ObjectMeta meta, Path temp, long length, byte[] bytes) {
        Body body = disk.commit(key, meta, temp, length);
        if (body == null) {
            return false;
        }
        if (bytes != null) {
            memory.put(body, bytes);
        }
        return true;
    }

    /** Opens a disk hit; a body file that has vanished drops its entry. */
    InputStream openBody(IndexEntry entry) throws IOException {
        try {
            return memory.open(entry.body());
        } catch (NoSuchFileException e) {
            if (disk.remove(entry)) {
                LOG.warn("Dropped {}: its body file {} is gone", entry.key(), entry.body().path());
            }
            throw e;
        }
    }

    /** The body's file, open for sending, with a reference for the caller; empty if it cannot be opened. */
    Optional<BodyFile> bodyFile(IndexEntry entry) {
        return closed ? Optional.empty() : files.acquire(entry.body());
    }

    /**
     * A disk hit's body loaded into memory, so that it can be sent in one write; null if it is
     * too large for the memory tier or cannot be read now ({@link #openBody} then reports why).
     */
    byte[] loadBody(IndexEntry entry) {
        if (!memory.admits(entry.body().length())) {
            return null;
        }
        try {
            return memory.load(entry.body());
        } catch (IOException e) {
            return null;
        }
    }

    /** The memory tier (tests). */
    MemoryTier memory() {
        return memory;
    }

    /** The file layout (tests). */
    DiskLayout layout() {
        return layout;
    }

    private static long minLimit(long a, long b) {
        if (a == 0 || b == 0) {
            return Math.max(a, b);
        }
        return Math.min(a, b);
    }
}
