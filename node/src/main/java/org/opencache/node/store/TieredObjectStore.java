package org.opencache.node.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileLock;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.opencache.common.config.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@link ObjectStore}: a heap tier over a disk tier under {@code cache_path/objects/}.
 *
 * <h2>Layout and persistence</h2>
 * Small objects are records appended to shared segment files; a large body gets a segment of its
 * own, renamed into place when complete ({@link SegmentLayout}, {@link RecordFormat}). Every
 * change is on disk when a method returns, so the index needs no flushing; a new store rebuilds
 * it by scanning the segments ({@link IndexLoader}), skipping torn records and deleting
 * incomplete files. A record carries its full key, checked on every disk hit.
 *
 * <h2>Index</h2>
 * The index keeps about 40 bytes per key in primitive arrays ({@link CompactIndex}): a 16-byte
 * digest, the record's place and size, its expiry, its instance and a use count. Response
 * header fields stay on disk; the memory tier keeps the parsed metadata of hot objects. The index
 * has a heap budget ({@value #INDEX_HEAP_SHARE_PERCENT} % of the heap the memory tier's bound
 * leaves): a node with more keys than fit reclaims the oldest segments, as it does at
 * {@code max_disk}.
 *
 * <h2>Concurrency</h2>
 * A lookup is a digest, an optimistic read of the index and a Caffeine read of the memory tier,
 * with no lock; a disk hit adds one positional read of the record. Writers stream to memory (or,
 * for large bodies, to their own temp files) without any lock; commit, link, update and removal
 * are ordered per key ({@link DiskTier} says how). Readers of a replaced or evicted object keep
 * reading: an open file survives its deletion on POSIX, and memory bodies are immutable arrays. A
 * disk lookup whose file vanishes before {@link StoredObject#openBody()} sees
 * {@link NoSuchFileException}: a miss to the caller.
 *
 * <h2>Eviction</h2>
 * The segments take at most {@code max_disk} bytes of disk, counted in whole blocks as
 * {@code du} does. Space is reclaimed oldest segment first; objects hit since they were written
 * are moved forward instead of evicted (a CLOCK), and a newcomer to a full store is admitted only
 * if it is asked for more often than what is being evicted (TinyLFU), so that objects asked for
 * often are not pushed out by a run of objects asked for once. The memory tier
 * ({@link MemoryTier}) is Caffeine weighted by size up to {@code max_cache_size}; a commit puts
 * its body there, a disk hit loads it. Objects above {@code max_item_size} (or {@code max_disk})
 * are refused: at {@link #begin} when their length is known, else as soon as the body grows past
 * it. A newcomer of known length that the store would not admit, or that a file system found
 * full has no room for, is refused at {@link #begin} too, so that the refusal is known before
 * the response's head goes out ({@link StoreWriter#refusal()}).
 *
 * <h2>Failure</h2>
 * A disk error while storing never reaches the caller: the writer becomes a no-op, logs one WARN
 * naming the file and cause, deletes its temp file and {@link StoreWriter#commit()} returns
 * false. Nothing is left broken, so the next write works as soon as the disk does (missing
 * directories are created again). A full file system is not an error of one write: the store
 * reclaims its oldest segments and tries again, and the refusals that remain are counted in one
 * WARN line a minute ({@link DiskFullLog}), not logged per URL.
 */
public final class TieredObjectStore implements ObjectStore {
    private static final Logger LOG = LoggerFactory.getLogger(TieredObjectStore.class);
    /** Share of the heap beyond the memory tier's bound that the index and the frequency sketch may take. */
    static final int INDEX_HEAP_SHARE_PERCENT = 50;
    /** Largest shared segment. */
    private static final long MAX_SEGMENT = 64L << 20;
    /** Smallest shared segment. */
    private static final long MIN_SEGMENT = 4096;
    /** Largest body stored inline in a shared segment; larger ones get a segment of their own. */
    private static final long MAX_INLINE = 256 * 1024;

    private final SegmentLayout layout;
    private final DiskTier disk;
    private final MemoryTier memory;
    private final long itemLimit;
    private final long inlineLimit;
    private final PurgeLog purges = new PurgeLog();
    private volatile boolean closed;

    private TieredObjectStore(SegmentLayout layout, DiskTier disk, MemoryTier memory, long itemLimit,
            long inlineLimit) {
        this.layout = layout;
        this.disk = disk;
        this.memory = memory;
        this.itemLimit = itemLimit;
        this.inlineLimit = inlineLimit;
    }

    /**
     * Opens the store under {@code cachePath}, creating it or loading what a previous store left.
     * Sizes are bytes, 0 meaning no limit.
     *
     * @param openBodyFiles segment files kept open for reads and sendfile, {@code >= 1} ({@code open_body_files})
     * @param clock         the time expired records are skipped by at start
     * @throws IOException if the directory cannot be created or read, or another store has it open
     */
    public static TieredObjectStore open(Path cachePath, long maxCacheSize, long maxDisk,
            long maxItemSize, int openBodyFiles, Clock clock) throws IOException {
        return open(cachePath, maxCacheSize, maxDisk, maxItemSize, openBodyFiles, clock, 0);
    }

    /** {@link #open(Path, long, long, long, int, Clock)} with an index of at most {@code maxKeys} keys (tests; 0: the heap budget). */
    static TieredObjectStore open(Path cachePath, long maxCacheSize, long maxDisk,
            long maxItemSize, int openBodyFiles, Clock clock, long maxKeys) throws IOException {
        if (maxCacheSize < 0 || maxDisk < 0 || maxItemSize < 0) {
            throw new IllegalArgumentException("sizes must be 0 (no limit) or positive");
        }
        SegmentLayout layout = new SegmentLayout(cachePath);
        FileLock lock = layout.lock();
        try {
            long started = System.nanoTime();
            IndexLoader.Loaded loaded = IndexLoader.load(layout, clock.instant());
            MemoryTier memory = new MemoryTier(maxCacheSize, maxItemSize);
            long maxEntries = maxKeys > 0 ? maxKeys : maxEntries(Runtime.getRuntime().maxMemory(), memory.maxWeight());
            LOG.info("Loaded {} cached keys ({} bytes in {} segments) from {} in {} ms; the index may hold {} keys",
                    loaded.index().size(), loaded.segments().allocated(), loaded.segments().count(), layout.root(),
                    (System.nanoTime() - started) / 1_000_000, maxEntries);
            OpenSegmentFiles files = new OpenSegmentFiles(openBodyFiles);
            long segmentSize = segmentSize(maxDisk);
            // Sized for objects of 1 KiB on average (a 256 Ki-entry table without a disk bound).
            long expected = Math.min(maxEntries, maxDisk > 0 ? Math.max(1024, maxDisk / 1024) : 1 << 18);
            DiskTier disk = new DiskTier(layout, lock, loaded, new FrequencySketch(expected), files, memory,
                    maxDisk, segmentSize, maxEntries, new DiskFullLog(layout.root(), clock));
            disk.trim();
            long itemLimit = minLimit(minLimit(maxItemSize, maxDisk), Slots.MAX_OFFSET / 2);
            return new TieredObjectStore(layout, disk, memory, itemLimit, Math.min(MAX_INLINE, segmentSize / 4));
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

    /**
     * Keys the index may hold in a heap of {@code maxHeap} bytes of which the memory tier may
     * take {@code memoryBound}: its share of the rest over what a key costs in the index at its
     * lowest load (5/8 full, just after a stripe grew) and in the frequency sketch.
     */
    static long maxEntries(long maxHeap, long memoryBound) {
        long perKey = CompactIndex.bytesPerSlot() * 8 / 5 + 8;
        return Math.max(1024, Math.max(0, maxHeap - memoryBound) / 100 * INDEX_HEAP_SHARE_PERCENT / perKey);
    }

    /**
     * Bytes of a shared segment: a thirty-second of {@code max_disk}, so that reclaiming one
     * segment frees about 3 % of the disk and the bound is kept within that; 4 KiB to 64 MiB.
     */
    static long segmentSize(long maxDisk) {
        if (maxDisk == 0) {
            return MAX_SEGMENT;
        }
        return Math.max(MIN_SEGMENT, Math.min(MAX_SEGMENT, maxDisk / 32) & ~4095L);
    }

    @Override
    public Optional<StoredObject> lookup(StoreKey key) {
        if (closed || purges.hides(key)) {
            return Optional.empty();
        }
        StoreDigest digest = StoreDigest.of(key);
        IndexSlot slot = disk.find(digest);
        if (slot == null) {
            return Optional.empty();
        }
        MemoryTier.Cached cached = memory.get(digest, slot.location());
        if (cached != null) {
            return Optional.of(new TieredObject(this, digest, slot, cached.meta(), cached.body(), true));
        }
        Optional<DiskTier.Read> read = disk.read(key, digest, slot);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        memory.put(digest, new MemoryTier.Cached(slot.location(), read.get().meta(), read.get().body()));
        return Optional.of(new TieredObject(this, digest, slot, read.get().meta(), read.get().body(), false));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns a writer that stores nothing, its {@link StoreWriter#refusal()} saying why, if
     * the store is closed, the declared length is over {@code max_item_size} or {@code max_disk},
     * or a newcomer of that length would be refused now (not admitted to a full store, or no room
     * on a file system found full).
     */
    @Override
    public StoreWriter begin(StoreKey key, ObjectMeta meta) {
        if (closed) {
            return new RefusedWriter(StoreRefusal.CLOSED);
        }
        long declared = meta.bodyLength();
        if (itemLimit > 0 && declared > itemLimit) {
            LOG.debug("Not storing {}: {} bytes is over the {} byte limit", key, declared, itemLimit);
            return new RefusedWriter(StoreRefusal.TOO_LARGE);
        }
        if (declared >= 0) {
            StoreRefusal refusal = disk.refusesUpFront(declared, StoreDigest.of(key));
            if (refusal != null) {
                LOG.debug("Not storing {}: {}", key, refusal);
                return new RefusedWriter(refusal);
            }
        }
        return new TieredWriter(this, layout, key, meta, itemLimit, inlineLimit, memory.itemLimit(),
                purges.current());
    }

    /** {@inheritDoc} The body length stays that of the stored body. False also if the record cannot be written. */
    @Override
    public boolean updateMeta(StoreKey key, ObjectMeta meta) {
        return !closed && purges.committing(purges.current(), key,
                () -> disk.updateMeta(key, StoreDigest.of(key), meta), false);
    }

    @Override
    public boolean remove(StoreKey key) {
        return !closed && disk.remove(StoreDigest.of(key));
    }

    @Override
    public void link(StoreKey alias, StoreKey target) {
        if (closed || alias.equals(target) || purges.hides(target)) {
            return;
        }
        if (!purges.committing(purges.current(), alias,
                () -> disk.link(alias, StoreDigest.of(alias), target, StoreDigest.of(target)), true)) {
            LOG.debug("Not linking {}: {} is not stored", alias, target);
        }
    }

    @Override
    public void removeInstance(String instance) {
        short id = disk.instances().find(instance);
        if (id >= 0 && !closed) {
            int removed = disk.removeAll(slot -> slot.instance() == id, true);
            LOG.debug("Removed {} keys of instance {}", removed, instance);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Keys are removed one by one through their digests. Variants and prefixes are found by
     * reading every segment's records (see {@link PurgeMatch}): the index holds digests only, and
     * the alternative, a Varnish-style ban list checked at lookup, would keep the purged objects
     * on disk until eviction and cost every lookup a check for the life of the ban. The scan runs
     * on the caller's thread without holding any lock that a lookup takes; meanwhile lookups of
     * what it will drop are misses already, and commits of it are refused.
     */
    @Override
    public int purge(PurgeMatch match) {
        if (closed) {
            return 0;
        }
        purges.register(match);
        try {
            int removed = 0;
            for (String instance : match.instances()) {
                for (String key : match.keys()) {
                    if (disk.remove(StoreDigest.of(new StoreKey(instance, key)))) {
                        removed++;
                    }
                }
            }
            if (match.needsScan()) {
                removed += disk.removeMatching(match::matches);
            }
            LOG.debug("Purged {} keys: {}", removed, match);
            return removed;
        } finally {
            purges.finished(match);
        }
    }

    @Override
    public int purgeExpiredBefore(Instant cutoff) {
        long seconds = cutoff.getEpochSecond();
        return closed ? 0 : disk.removeAll(slot -> Slots.expires(slot) < seconds, false);
    }

    @Override
    public long objectCount(String instance) {
        return disk.instances().objects(instance);
    }

    @Override
    public long objectBytes(String instance) {
        return disk.instances().bytes(instance);
    }

    /** Bytes the store's files take on disk, in whole blocks (the basis of {@code alert_disk}). */
    @Override
    public long diskBytes() {
        return disk.diskBytes();
    }

    /** Bytes of objects held in the memory tier. */
    public long memoryBytes() {
        return memory.weight();
    }

    /** Objects (their metadata, and bodies up to the item limit) held in the memory tier. */
    public long memoryObjects() {
        return memory.entries();
    }

    /** Objects the memory tier evicted for room so far (they stay on disk). */
    public long memoryEvictions() {
        return memory.evictions();
    }

    /** Objects the disk tier evicted for room so far (gone from the store). */
    public long diskEvictions() {
        return disk.evictions();
    }

    /** Keys in the index. */
    public long keys() {
        return disk.keys();
    }

    /** {@inheritDoc} Every change is already on disk; this stops changes and releases the directory. */
    @Override
    public void close() {
        closed = true;
        disk.close();
        memory.clear();
        disk.closeFiles();
    }

    /**
     * Called by a writer's commit of a body held in memory; null if stored, else why not.
     *
     * @param since the purge sequence number when the writer began: a purge of the key since
     *              then refuses the commit
     */
    StoreRefusal publishInline(StoreKey key, ObjectMeta meta, byte[] body, int length, long since) {
        return purges.committing(since, key, () -> publishInlineNow(key, meta, body, length), StoreRefusal.PURGED);
    }

    private StoreRefusal publishInlineNow(StoreKey key, ObjectMeta meta, byte[] body, int length) {
        StoreDigest digest = StoreDigest.of(key);
        DiskTier.Commit commit = disk.commitInline(key, digest, meta, body, length);
        if (commit.slot() == null) {
            return commit.refusal();
        }
        byte[] exact = body.length == length ? body : Arrays.copyOf(body, length);
        memory.put(digest, new MemoryTier.Cached(commit.slot().location(), meta.withBodyLength(length), exact));
        return null;
    }

    /** Called by a writer's commit of a body in a temp file; null if stored, else why not (the file is gone either way). */
    StoreRefusal publishLarge(StoreKey key, ObjectMeta meta, byte[] header, SegmentLayout.TempFile temp,
            long bodyOffset, long length, byte[] copy, long since) {
        StoreRefusal refusal = purges.committing(since, key,
                () -> publishLargeNow(key, meta, header, temp, bodyOffset, length, copy), StoreRefusal.PURGED);
        if (refusal == StoreRefusal.PURGED) {
            temp.discard();
        }
        return refusal;
    }

    private StoreRefusal publishLargeNow(StoreKey key, ObjectMeta meta, byte[] header, SegmentLayout.TempFile temp,
            long bodyOffset, long length, byte[] copy) {
        StoreDigest digest = StoreDigest.of(key);
        DiskTier.Commit commit = disk.commitLarge(key, digest, meta, header, temp, bodyOffset, length);
        if (commit.slot() == null) {
            return commit.refusal();
        }
        memory.put(digest, new MemoryTier.Cached(commit.slot().location(), meta.withBodyLength(length), copy));
        return null;
    }

    /**
     * Called by a writer whose temp file the file system refused {@code need} more bytes: makes
     * room as for a commit; null if the write may be tried again, else the refusal.
     */
    StoreRefusal makeRoomOnFullDisk(StoreKey key, long need, IOException cause) {
        return closed ? StoreRefusal.CLOSED : disk.makeRoomOnFullDisk(need, StoreDigest.of(key), cause);
    }

    /** Called by a writer refused by a full file system a second time: counts the refusal. */
    StoreRefusal refusedFull(IOException cause) {
        return disk.refusedFull(cause);
    }

    /** Opens a large body from its segment; {@link NoSuchFileException} if the segment is gone. */
    InputStream openLarge(StoredObject object, IndexSlot slot) throws IOException {
        Optional<BodyFile> file = disk.bodyFile(slot);
        if (file.isEmpty()) {
            throw new NoSuchFileException("the segment of " + object.meta() + " is gone");
        }
        return new BodyStream(file.get());
    }

    /** The large body's file, open for sending, with a reference for the caller; empty if it cannot be opened. */
    Optional<BodyFile> bodyFile(IndexSlot slot) {
        return closed ? Optional.empty() : disk.bodyFile(slot);
    }

    /**
     * A large disk hit's body loaded into memory, so that it can be sent in one write; null if it
     * is too large for the memory tier or cannot be read now.
     */
    byte[] loadLarge(StoreDigest digest, IndexSlot slot, ObjectMeta meta) {
        if (!memory.admits(Slots.bodyLength(slot))) {
            return null;
        }
        Optional<BodyFile> file = bodyFile(slot);
        if (file.isEmpty()) {
            return null;
        }
        try {
            ByteBuffer body = ByteBuffer.allocate((int) file.get().length());
            SegmentWriter.readFully(file.get().channel(), body, file.get().offset());
            memory.put(digest, new MemoryTier.Cached(slot.location(), meta, body.array()));
            return body.array();
        } catch (IOException e) {
            return null;
        } finally {
            file.get().release();
        }
    }

    /** The memory tier (tests). */
    MemoryTier memory() {
        return memory;
    }

    /** The file layout (tests). */
    SegmentLayout layout() {
        return layout;
    }

    private static long minLimit(long a, long b) {
        if (a == 0 || b == 0) {
            return Math.max(a, b);
        }
        return Math.min(a, b);
    }
}
