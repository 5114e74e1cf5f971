package org.opencache.node.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every change to the disk tier: records appended to segments ({@link SegmentLayout},
 * {@link RecordFormat}), the {@link CompactIndex} kept in step with them, and space reclaimed to
 * stay under {@code max_disk} and the index's heap budget.
 *
 * <h2>Writes</h2>
 * A small object is one record appended to the active shared segment: one positional write, no
 * file created or renamed. A large one arrives as a finished file that is renamed into place as a
 * segment of its own. Each record carries a stamp, the store-wide write order; at start the
 * record with the highest stamp of a key wins, and a tombstone (written by a removal) beats the
 * records older than it. A key's records in a large segment that another record supersedes get a
 * tombstone in that segment too, because a large segment may outlive newer shared ones
 * ({@link #reclaimLarge}).
 *
 * <h2>Reclaiming</h2>
 * Segments are reclaimed oldest first, like a ring: a CLOCK over segments. A record in the
 * reclaimed segment that was hit since it was written or last moved (the index's use count) is
 * copied to the active segment (a large segment is renamed to the young end instead of copied),
 * and its use count lowered; the others are evicted. A newcomer is admitted to a full store only
 * if the frequency sketch says it is asked for more often than what reclaiming evicts
 * (TinyLFU), so that a run of one-time requests cannot push the popular objects out. A file
 * system that fills up before {@code max_disk} does (other files on it, or a small volume) is
 * treated the same way: a write refused for lack of space reclaims the oldest segments, with
 * the same admission, and is tried once more before the object is refused ({@link DiskFullLog}
 * counts those refusals instead of logging each).
 *
 * <h2>Locks</h2>
 * A key lock (one of {@value #KEY_LOCKS} stripes, by digest) orders the changes to one key on
 * disk and in the index; the append lock orders appends to the active segment (a few
 * microseconds: one write to the page cache); the change lock keeps the index, the per-instance
 * counts and the segments' key counts consistent (memory only). Reclaiming is done by one thread
 * at a time, before the writer that needs the space takes its key lock, and takes each record's
 * key lock in turn. Lock order: reclaim, key, append, change; no thread holds two key locks.
 */
final class DiskTier {
    private static final Logger LOG = LoggerFactory.getLogger(DiskTier.class);
    private static final int KEY_LOCKS = 64;
    /** Segments one write may reclaim before it gives up and is refused. */
    private static final int MAX_RECLAIMS = 16;
    /** Free space beyond a write's own that tells a file system once full that it takes writes again. */
    private static final long FREE_MARGIN = 64 * 1024;

    private final SegmentLayout layout;
    private final FileLock directoryLock;
    private final CompactIndex index;
    private final SegmentTable segments;
    private final InstanceTable instances;
    private final FrequencySketch sketch;
    private final OpenSegmentFiles files;
    private final MemoryTier memory;
    private final long maxDisk;
    private final long segmentSize;
    private final long maxEntries;
    private final AtomicLong stamps;
    private final ReentrantLock[] keyLocks = new ReentrantLock[KEY_LOCKS];
    private final ReentrantLock changeLock = new ReentrantLock();
    private final ReentrantLock reclaimLock = new ReentrantLock();
    /** Objects dropped to make room (not replaced, removed or expired), for the metrics. */
    private final AtomicLong evictions = new AtomicLong();
    private final SegmentWriter writer;
    private final DiskFullLog diskFull;
    /** The file system of the segments, or null if it cannot be known. */
    private final FileStore fileStore;
    /** Set when a write was refused for lack of space even after reclaiming; cleared by a write that works. */
    private volatile boolean full;
    /** What the file system said when it was found full. */
    private volatile String fullCause = "";
    /** The reclaimer's read buffer (reclaim lock held). */
    private final ByteBuffer reclaimBuffer = ByteBuffer.allocate(SegmentReader.BUFFER);
    private volatile int victimFrequency;
    private volatile boolean closed;

    /**
     * @param loaded     what the scan at start found
     * @param maxDisk    bytes the segments may take on disk, 0 for no bound
     * @param segmentSize bytes of a shared segment
     * @param maxEntries keys the index may hold (its heap budget)
     * @param diskFull   counts the stores a full file system refuses
     */
    DiskTier(SegmentLayout layout, FileLock directoryLock, IndexLoader.Loaded loaded, FrequencySketch sketch,
            OpenSegmentFiles files, MemoryTier memory, long maxDisk, long segmentSize, long maxEntries,
            DiskFullLog diskFull) {
        this.layout = layout;
        this.directoryLock = directoryLock;
        this.index = loaded.index();
        this.segments = loaded.segments();
        this.instances = loaded.instances();
        this.stamps = new AtomicLong(loaded.lastStamp());
        this.sketch = sketch;
        this.files = files;
        this.memory = memory;
        this.maxDisk = maxDisk;
        this.segmentSize = segmentSize;
        this.maxEntries = maxEntries;
        this.diskFull = diskFull;
        this.fileStore = fileStoreOf(layout.root());
        this.writer = new SegmentWriter(layout, segments, segmentSize,
                (int) Math.min(Integer.MAX_VALUE, Math.max(64, maxEntries / 32)), diskFull);
        for (int i = 0; i < KEY_LOCKS; i++) {
            keyLocks[i] = new ReentrantLock();
        }
    }

    // ---- reads (lock-free) ----

    /** The slot of {@code digest}, or null; counts the request for admission and the hit for reclaiming. */
    IndexSlot find(StoreDigest digest) {
        sketch.increment(digest.hash64());
        return index.touch(digest.hi(), digest.lo());
    }

    /** A record read from disk: its metadata, and its body if inline. */
    record Read(ObjectMeta meta, byte[] body) {
    }

    /**
     * Reads the record {@code slot} names and checks it is {@code key}'s; empty (the entry dropped
     * with a WARN if the record is unreadable) if it is not there any more.
     */
    Optional<Read> read(StoreKey key, StoreDigest digest, IndexSlot slot) {
        Segment segment = segments.get(Slots.segment(slot.location()));
        if (segment == null) {
            return Optional.empty();
        }
        long offset = Slots.offset(slot.location());
        int headerLength = Slots.headerLength(slot);
        long bodyLength = Slots.bodyLength(slot);
        boolean inline = !segment.large();
        int length = RecordFormat.PREAMBLE + headerLength + (inline ? (int) bodyLength : 0);
        Optional<OpenFile> file = files.acquire(segment);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer record = ByteBuffer.allocate(length);
        try {
            SegmentWriter.readFully(file.get().channel(), record, offset);
        } catch (IOException e) {
            return dropUnreadable(key, digest, slot, segment, e.toString());
        } finally {
            file.get().release();
        }
        record.flip();
        RecordFormat.Preamble preamble = RecordFormat.readPreamble(record);
        if (preamble == null || !preamble.digest().equals(digest) || preamble.headerLength() != headerLength
                || preamble.bodyLength() != bodyLength || !RecordFormat.checkHeader(record, headerLength)) {
            return dropUnreadable(key, digest, slot, segment, "not the record the index names");
        }
        RecordFormat.Header header;
        try {
            header = RecordFormat.parseHeader(record.slice(RecordFormat.PREAMBLE, headerLength), bodyLength);
        } catch (IOException e) {
            return dropUnreadable(key, digest, slot, segment, e.getMessage());
        }
        if (!header.key().equals(key)) {
            LOG.debug("{} and {} have the same digest; serving neither from {}", key, header.key(), segment);
            return Optional.empty();
        }
        byte[] body = null;
        if (inline) {
            body = new byte[(int) bodyLength];
            record.get(RecordFormat.PREAMBLE + headerLength, body);
        }
        return Optional.of(new Read(header.meta(), body));
    }

    /** The open file and place of a large body, with a reference for the caller; empty if gone. */
    Optional<BodyFile> bodyFile(IndexSlot slot) {
        Segment segment = segments.get(Slots.segment(slot.location()));
        if (closed || segment == null || !segment.large()) {
            return Optional.empty();
        }
        return files.acquire(segment).map(file -> new BodyFile(file, segment.bodyOffset(), segment.bodyLength()));
    }

    // ---- writes ----

    /** What a commit made of an object: its slot, or why it was not stored. */
    record Commit(IndexSlot slot, StoreRefusal refusal) {
        static Commit refused(StoreRefusal why) {
            return new Commit(null, why);
        }
    }

    /**
     * Whether a newcomer of {@code need} bytes would be refused now, before its body is written:
     * the store is full and would not admit it, or the file system is full. Null if it may be
     * stored.
     */
    StoreRefusal refusesUpFront(long need, StoreDigest digest) {
        if (closed) {
            return StoreRefusal.CLOSED;
        }
        if (maxDisk > 0 && need > maxDisk) {
            return StoreRefusal.TOO_LARGE;
        }
        if (over(need) && sketch.frequency(digest.hash64()) <= victimFrequency) {
            return StoreRefusal.NOT_ADMITTED;
        }
        if (fullFor(need)) {
            diskFull.refused(fullCause);
            return StoreRefusal.DISK_FULL;
        }
        return null;
    }

    /**
     * Whether the file system was found full and still has no room for {@code need} bytes; asks
     * the file system only after a refusal, and forgets it once there is room again.
     */
    private boolean fullFor(long need) {
        if (!full) {
            return false;
        }
        long usable = usableSpace();
        if (usable < 0 || usable >= need + FREE_MARGIN) {
            full = false;
            return false;
        }
        return true;
    }

    /**
     * Makes room on a file system that refused a write of {@code need} bytes for lack of space:
     * reclaims the oldest segments, as a full store does, if the newcomer ({@code digest}) is
     * admitted. Null if the write may be tried again, else the refusal (counted in the log).
     */
    StoreRefusal makeRoomOnFullDisk(long need, StoreDigest digest, IOException cause) {
        if (sketch.frequency(digest.hash64()) <= victimFrequency) {
            LOG.debug("Not storing {} on a full file system: the eviction policy did not admit it", digest);
            return StoreRefusal.NOT_ADMITTED;
        }
        reclaimLock.lock();
        try {
            long before = segments.allocated();
            for (int i = 0; i < MAX_RECLAIMS && before - segments.allocated() < need + FREE_MARGIN; i++) {
                if (!reclaimOldest()) {
                    break;
                }
            }
            if (before - segments.allocated() > 0) {
                return null;
            }
        } finally {
            reclaimLock.unlock();
        }
        return refusedFull(cause);
    }

    /** Notes a store refused for lack of space, after reclaiming; the refusal. */
    StoreRefusal refusedFull(IOException cause) {
        fullCause = DiskFullLog.reason(cause);
        full = true;
        diskFull.refused(fullCause);
        return StoreRefusal.DISK_FULL;
    }

    /**
     * Stores a small object as one record in the active shared segment; its slot, or why it was
     * not stored (refused by admission; a full file system even after reclaiming; a disk error,
     * with one WARN).
     */
    Commit commitInline(StoreKey key, StoreDigest digest, ObjectMeta meta, byte[] body, int length) {
        byte[] header = RecordFormat.header(key, meta);
        long recordLength = RecordFormat.aligned(RecordFormat.PREAMBLE + header.length + (long) length);
        if (closed) {
            return Commit.refused(StoreRefusal.CLOSED);
        }
        if (header.length > Slots.MAX_HEADER) {
            return Commit.refused(StoreRefusal.STORE_ERROR);
        }
        StoreRefusal refusal = makeRoom(recordLength, digest);
        if (refusal != null) {
            return Commit.refused(refusal);
        }
        short instance = instances.id(key.instance());
        long expires = RecordFormat.expirySeconds(meta.expires());
        for (int attempt = 0;; attempt++) {
            IOException[] failure = new IOException[1];
            IndexSlot stored = changing(digest, emptied -> {
                long stamp = stamps.incrementAndGet();
                SegmentWriter.Appended at;
                try {
                    at = writer.tryAppendInline(digest, stamp, header, body, length, expires);
                } catch (IOException e) {
                    failure[0] = e;
                    return null;
                }
                IndexSlot slot = Slots.slot(at.segment(), at.offset(), header.length, length, expires, instance);
                put(digest, slot, stamp, emptied);
                return slot;
            });
            if (stored != null) {
                full = false;
                return new Commit(stored, null);
            }
            if (!DiskFullLog.isDiskFull(failure[0])) {
                return Commit.refused(StoreRefusal.STORE_ERROR);
            }
            // Reclaiming takes key locks: it runs between the attempts, with no key lock held.
            refusal = attempt == 0 ? makeRoomOnFullDisk(recordLength, digest, failure[0]) : refusedFull(failure[0]);
            if (refusal != null) {
                return Commit.refused(refusal);
            }
        }
    }

    /**
     * Stores a large object whose body is in {@code temp} from {@code bodyOffset}, room for the
     * preamble and {@code header} left before it: writes the preamble and header and renames the
     * file into place as a segment. Returns its slot, or null if it was not stored; {@code temp}
     * is gone either way.
     */
    Commit commitLarge(StoreKey key, StoreDigest digest, ObjectMeta meta, byte[] header,
            SegmentLayout.TempFile temp, long bodyOffset, long length) {
        long size = bodyOffset + length;
        StoreRefusal refusal = closed ? StoreRefusal.CLOSED
                : size > Slots.MAX_OFFSET ? StoreRefusal.TOO_LARGE
                : makeRoom(Segment.blocks(size), digest);
        if (refusal != null) {
            temp.discard();
            return Commit.refused(refusal);
        }
        short instance = instances.id(key.instance());
        long expires = RecordFormat.expirySeconds(meta.expires());
        return changing(digest, emptied -> {
            long stamp = stamps.incrementAndGet();
            ByteBuffer record = RecordFormat.reference(header, stamp, digest, bodyOffset, length, expires,
                    RecordFormat.PREAMBLE + header.length);
            long seq = segments.nextSeq();
            Path path = layout.segmentPath(seq, true);
            try (FileChannel channel = temp.channel()) {
                SegmentWriter.writeFully(channel, record, 0);
            } catch (IOException e) {
                SegmentLayout.deleteQuietly(temp.path());
                if (DiskFullLog.isDiskFull(e)) {
                    return Commit.refused(refusedFull(e));
                }
                LOG.warn("Not storing {}: cannot write {}: {}", key, temp.path(), e.toString());
                return Commit.refused(StoreRefusal.STORE_ERROR);
            }
            try {
                layout.publish(temp.path(), path);
            } catch (IOException e) {
                LOG.warn("Not storing {}: cannot move its body to {}: {}", key, path, e.toString());
                SegmentLayout.deleteQuietly(temp.path());
                return Commit.refused(StoreRefusal.STORE_ERROR);
            }
            Segment segment = Segment.large(segments.newId(), seq, path, size, bodyOffset, length);
            segments.add(segment);
            IndexSlot slot = Slots.slot(segment, 0, header.length, length, expires, instance);
            put(digest, slot, stamp, emptied);
            full = false;
            return new Commit(slot, null);
        });
    }

    /** Rewrites a key's metadata, keeping its body; false if absent or not writable. */
    boolean updateMeta(StoreKey key, StoreDigest digest, ObjectMeta meta) {
        IndexSlot before = index.get(digest.hi(), digest.lo());
        if (before == null || !ensureRoom(RecordFormat.aligned(RecordFormat.PREAMBLE + Slots.headerLength(before)
                + Slots.bodyLength(before)) + 4096)) {
            return false;
        }
        return changing(digest, emptied -> {
            IndexSlot current = index.get(digest.hi(), digest.lo());
            Segment segment = current == null ? null : segments.get(Slots.segment(current.location()));
            if (closed || segment == null) {
                return false;
            }
            ObjectMeta updated = meta.withBodyLength(Slots.bodyLength(current));
            if (segment.large()) {
                return appendReference(key, digest, updated, segment, emptied) != null;
            }
            Optional<Read> read = read(key, digest, current);
            if (read.isEmpty()) {
                return false;
            }
            byte[] body = read.get().body();
            byte[] header = RecordFormat.header(key, updated);
            long expires = RecordFormat.expirySeconds(updated.expires());
            long stamp = stamps.incrementAndGet();
            SegmentWriter.Appended at = writer.appendInline(digest, stamp, header, body, body.length, expires);
            if (at == null) {
                return false;
            }
            put(digest, Slots.slot(at.segment(), at.offset(), header.length, body.length, expires, current.instance()),
                    stamp, emptied);
            return true;
        });
    }

    /**
     * Makes {@code alias} serve {@code target}'s body and metadata; false if there is no target.
     * A small target is first moved to a large segment of its own, which both keys then share.
     */
    boolean link(StoreKey alias, StoreDigest aliasDigest, StoreKey target, StoreDigest targetDigest) {
        IndexSlot before = index.get(targetDigest.hi(), targetDigest.lo());
        if (before == null || !ensureRoom(Segment.blocks(RecordFormat.PREAMBLE + Slots.headerLength(before)
                + Slots.bodyLength(before)) + 4096)) {
            return false;
        }
        Segment large = largeSegmentOf(target, targetDigest);
        IndexSlot source = index.get(targetDigest.hi(), targetDigest.lo());
        if (closed || large == null || source == null || Slots.segment(source.location()) != large.id()) {
            return false;
        }
        // Read before the alias's lock is taken: a failed read drops the target under its own lock.
        Optional<Read> read = read(target, targetDigest, source);
        if (read.isEmpty()) {
            return false;
        }
        return changing(aliasDigest, emptied -> {
            IndexSlot current = index.get(aliasDigest.hi(), aliasDigest.lo());
            if (current != null && Slots.segment(current.location()) == large.id()) {
                return true;
            }
            return appendReference(alias, aliasDigest, read.get().meta(), large, emptied) != null;
        });
    }

    /** Removes a key (a tombstone keeps it from coming back after a restart); false if there was none. */
    boolean remove(StoreDigest digest) {
        return removeIf(digest, null);
    }

    /**
     * Removes every key whose slot matches; returns how many. With {@code tombstones}, each
     * removal is written down (removing an instance); an expired object needs none (the scan at
     * start skips it anyway). Locks are taken per key so that a large purge does not hold up writes.
     */
    int removeAll(Predicate<IndexSlot> doomed, boolean tombstones) {
        List<long[]> matches = new ArrayList<>();
        index.forEach((hi, lo, slot) -> {
            if (doomed.test(slot)) {
                matches.add(new long[] {hi, lo, slot.location()});
            }
        });
        int removed = 0;
        for (long[] match : matches) {
            StoreDigest digest = new StoreDigest(match[0], match[1]);
            if (tombstones ? removeIf(digest, match[2]) : removeQuietly(digest, match[2])) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Removes, with tombstones, every object whose record's key {@code doomed} matches; returns
     * how many. The index holds digests only, so this reads the segments' records, oldest
     * segment first, in the reclaimer's large sequential reads, and parses just the key of each
     * record the index still points at. Hits are not held up: reads take no lock, and each
     * removal takes one key lock for a moment, as {@link #removeAll} does. Segments created while
     * it runs are read after the others, so a record that reclaiming moves forward meanwhile is
     * still found.
     */
    int removeMatching(Predicate<StoreKey> doomed) {
        ByteBuffer buffer = ByteBuffer.allocate(SegmentReader.BUFFER);
        Set<Segment> scanned = Collections.newSetFromMap(new IdentityHashMap<>());
        int removed = 0;
        boolean more = true;
        while (more && !closed) {
            more = false;
            for (Segment segment : List.copyOf(segments.all())) {
                if (scanned.add(segment)) {
                    more = true;
                    removed += removeMatching(segment, doomed, buffer);
                }
            }
        }
        return removed;
    }

    private int removeMatching(Segment segment, Predicate<StoreKey> doomed, ByteBuffer buffer) {
        Optional<OpenFile> file = files.acquire(segment);
        if (file.isEmpty()) {
            return 0; // reclaimed meanwhile: what it held is gone or was moved to a younger segment
        }
        int removed = 0;
        try {
            SegmentReader reader = new SegmentReader(file.get().channel(), segment.size(), buffer);
            for (SegmentReader.Record record = reader.next(); record != null; record = reader.next()) {
                if (segment.large() && record.offset() == 0) {
                    reader.skipTo(segment.bodyOffset() + segment.bodyLength());
                }
                if (record.preamble().type() != RecordFormat.OBJECT) {
                    continue;
                }
                StoreDigest digest = record.preamble().digest();
                long location = Slots.location(segment.id(), record.offset());
                IndexSlot slot = index.get(digest.hi(), digest.lo());
                if (slot == null || slot.location() != location) {
                    continue; // superseded or removed: only the record the index names counts
                }
                StoreKey key;
                try {
                    key = RecordFormat.keyOf(record.header());
                } catch (IOException e) {
                    continue;
                }
                if (doomed.test(key) && removeIf(digest, location)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot read {} to purge from it: {}", segment.path(), e.toString());
        } finally {
            file.get().release();
        }
        return removed;
    }

    /** Reclaims down to {@code max_disk} and the index budget (after a restart with smaller bounds). */
    void trim() {
        reclaimLock.lock();
        try {
            while (over(0) && reclaimOldest()) {
                // each pass reclaims one segment
            }
        } finally {
            reclaimLock.unlock();
        }
    }

    /** Stops all changes and releases the directory for another store. */
    void close() {
        reclaimLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            writer.close();
            try {
                directoryLock.channel().close();
            } catch (IOException e) {
                LOG.warn("Cannot release the lock on {}: {}", layout.root(), e.toString());
            }
        } finally {
            reclaimLock.unlock();
        }
    }

    /** Closes the segment files kept open once no read or send uses them (after {@link #close}). */
    void closeFiles() {
        files.clear();
    }

    /** Bytes the segments take on disk. */
    long diskBytes() {
        return segments.allocated();
    }

    /** Objects evicted to make room so far. */
    long evictions() {
        return evictions.get();
    }

    /** Keys in the index. */
    int keys() {
        return index.size();
    }

    /** The instance table (counts per instance). */
    InstanceTable instances() {
        return instances;
    }

    // ---- inside ----

    private Segment largeSegmentOf(StoreKey target, StoreDigest digest) {
        IndexSlot slot = index.get(digest.hi(), digest.lo());
        Segment segment = slot == null ? null : segments.get(Slots.segment(slot.location()));
        if (segment == null || segment.large()) {
            return segment;
        }
        // A small target: give it a large segment of its own, so that its aliases share one body.
        return changing(digest, emptied -> {
            IndexSlot current = index.get(digest.hi(), digest.lo());
            if (current == null || current.location() != slot.location()) {
                return null;
            }
            Optional<Read> read = read(target, digest, current);
            if (read.isEmpty()) {
                return null;
            }
            return moveToLarge(target, digest, read.get(), current.instance(), emptied);
        });
    }

    /** Writes a small object as a large segment of its own (key lock held); its new segment, or null. */
    private Segment moveToLarge(StoreKey key, StoreDigest digest, Read read, short instance, List<Segment> emptied) {
        byte[] header = RecordFormat.header(key, read.meta());
        long bodyOffset = RecordFormat.aligned(RecordFormat.PREAMBLE + header.length);
        long stamp = stamps.incrementAndGet();
        long expires = RecordFormat.expirySeconds(read.meta().expires());
        ByteBuffer file = RecordFormat.reference(header, stamp, digest, bodyOffset, read.body().length, expires,
                (int) (bodyOffset + read.body().length));
        file.put((int) bodyOffset, read.body());
        long seq = segments.nextSeq();
        Path path = layout.segmentPath(seq, true);
        try (FileChannel channel = layout.createSegment(path)) {
            SegmentWriter.writeFully(channel, file, 0);
        } catch (IOException e) {
            LOG.warn("Cannot link to {}: cannot write {}: {}", key, path, e.toString());
            SegmentLayout.deleteQuietly(path);
            return null;
        }
        Segment segment = Segment.large(segments.newId(), seq, path, file.capacity(), bodyOffset, read.body().length);
        segments.add(segment);
        put(digest, Slots.slot(segment, 0, header.length, read.body().length, expires, instance), stamp, emptied);
        return segment;
    }

    /**
     * Appends a record of {@code key} with {@code meta} that serves the body of large segment
     * {@code segment}, and indexes it (key lock held); its slot, or null.
     */
    private IndexSlot appendReference(StoreKey key, StoreDigest digest, ObjectMeta meta, Segment segment,
            List<Segment> emptied) {
        byte[] header = RecordFormat.header(key, meta);
        long expires = RecordFormat.expirySeconds(meta.expires());
        long stamp = stamps.incrementAndGet();
        ByteBuffer record = RecordFormat.reference(header, stamp, digest, segment.bodyOffset(),
                segment.bodyLength(), expires, (int) RecordFormat.aligned(RecordFormat.PREAMBLE + header.length));
        long offset = writer.appendToLarge(segment, record);
        if (offset < 0) {
            return null;
        }
        IndexSlot slot = Slots.slot(segment, offset, header.length, segment.bodyLength(), expires,
                instances.id(key.instance()));
        put(digest, slot, stamp, emptied);
        return slot;
    }

    /** Indexes a new slot of {@code digest} written with {@code stamp}, releasing the one it replaces (key lock held). */
    private void put(StoreDigest digest, IndexSlot slot, long stamp, List<Segment> emptied) {
        Segment segment = segments.get(Slots.segment(slot.location()));
        IndexSlot old;
        changeLock.lock();
        try {
            old = index.put(digest.hi(), digest.lo(), slot);
            if (segment.attach(slot.instance())) {
                instances.added(slot.instance(), Slots.bodyLength(slot));
            }
        } finally {
            changeLock.unlock();
        }
        memory.invalidate(digest);
        if (old != null) {
            release(digest, old, Slots.segment(old.location()) == segment.id() ? -1 : stamp, emptied);
        }
    }

    /**
     * Accounts for a slot gone from the index (key lock held): the segment's key count, the
     * instance's counts, a tombstone in a large segment that keeps other keys (unless
     * {@code stamp} is -1: superseded in the same segment), and the segment itself once nothing
     * in it is wanted.
     */
    private void release(StoreDigest digest, IndexSlot old, long stamp, List<Segment> emptied) {
        Segment segment = segments.get(Slots.segment(old.location()));
        if (segment == null) {
            return;
        }
        boolean gone;
        changeLock.lock();
        try {
            if (segment.detach(old.instance())) {
                instances.removed(old.instance(), Slots.bodyLength(old));
            }
            gone = segment.liveKeys() == 0 && segment.large();
        } finally {
            changeLock.unlock();
        }
        if (gone) {
            emptied.add(segment);
        } else if (segment.large() && stamp >= 0) {
            writer.appendToLarge(segment, RecordFormat.tombstone(digest, stamp));
        }
    }

    private boolean removeIf(StoreDigest digest, Long expectedLocation) {
        ensureRoom(2 * RecordFormat.PREAMBLE);
        return changing(digest, emptied -> {
            IndexSlot slot = index.get(digest.hi(), digest.lo());
            if (slot == null || expectedLocation != null && slot.location() != expectedLocation) {
                return false;
            }
            long stamp = stamps.incrementAndGet();
            if (!closed && writer.appendTombstone(digest, stamp) == null) {
                LOG.warn("Cannot write the removal of {} down; it may come back after a restart", digest);
            }
            unindex(digest, slot, stamp, emptied);
            return true;
        });
    }

    private boolean removeQuietly(StoreDigest digest, long expectedLocation) {
        return changing(digest, emptied -> {
            IndexSlot slot = index.get(digest.hi(), digest.lo());
            if (slot == null || slot.location() != expectedLocation) {
                return false;
            }
            unindex(digest, slot, stamps.incrementAndGet(), emptied);
            return true;
        });
    }

    /** Takes a slot out of the index (key lock held). */
    private void unindex(StoreDigest digest, IndexSlot slot, long stamp, List<Segment> emptied) {
        boolean removed;
        changeLock.lock();
        try {
            removed = index.remove(digest.hi(), digest.lo(), slot.location());
        } finally {
            changeLock.unlock();
        }
        if (removed) {
            memory.invalidate(digest);
            release(digest, slot, stamp, emptied);
        }
    }

    /** Whether {@code need} more bytes (or one more key) would take the store over a bound. */
    private boolean over(long need) {
        return maxDisk > 0 && segments.allocated() + need > maxDisk || maxEntries > 0 && index.size() >= maxEntries;
    }

    /**
     * Makes room for {@code need} bytes of a newcomer, reclaiming the oldest segments; null if
     * there is room, else why not: the newcomer is not admitted (asked for no more often than
     * what is being evicted), or it is larger than the store.
     */
    private StoreRefusal makeRoom(long need, StoreDigest digest) {
        if (maxDisk > 0 && need > maxDisk) {
            return StoreRefusal.TOO_LARGE;
        }
        if (!over(need)) {
            return null;
        }
        if (sketch.frequency(digest.hash64()) <= victimFrequency) {
            LOG.debug("Not storing {}: the eviction policy did not admit it", digest);
            return StoreRefusal.NOT_ADMITTED;
        }
        return reclaimFor(need) ? null : StoreRefusal.NOT_ADMITTED;
    }

    /**
     * Makes room for {@code need} bytes of a change to what is stored already (a link, a new
     * metadata record, a tombstone), with no admission to pass; false if no room could be made.
     * No key lock may be held.
     */
    private boolean ensureRoom(long need) {
        return !over(need) || reclaimFor(need);
    }

    private boolean reclaimFor(long need) {
        reclaimLock.lock();
        try {
            for (int i = 0; i < MAX_RECLAIMS && over(need); i++) {
                if (!reclaimOldest()) {
                    break;
                }
            }
            return !over(need);
        } finally {
            reclaimLock.unlock();
        }
    }

    /** Reclaims the oldest segment but the active one (reclaim lock held); false if there is none. */
    private boolean reclaimOldest() {
        Segment oldest = writer.oldestToReclaim();
        if (oldest == null) {
            return false;
        }
        try {
            if (oldest.large()) {
                reclaimLarge(oldest);
            } else {
                reclaimShared(oldest);
            }
        } catch (IOException e) {
            LOG.warn("Cannot read segment {} to reclaim it; evicting all it holds: {}", oldest.path(), e.toString());
            evictAll(oldest);
        }
        return true;
    }

    private void reclaimShared(Segment segment) throws IOException {
        long victims = 0;
        long frequencies = 0;
        List<Segment> emptied = new ArrayList<>(1);
        try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
            SegmentReader reader = new SegmentReader(channel, segment.size(), reclaimBuffer);
            for (SegmentReader.Record record = reader.next(); record != null; record = reader.next()) {
                StoreDigest digest = record.preamble().digest();
                long location = Slots.location(segment.id(), record.offset());
                if (record.preamble().type() != RecordFormat.OBJECT) {
                    continue;
                }
                ReentrantLock keyLock = keyLock(digest);
                keyLock.lock();
                try {
                    IndexSlot slot = index.get(digest.hi(), digest.lo());
                    if (slot == null || slot.location() != location) {
                        continue;
                    }
                    if (index.decrementUses(digest.hi(), digest.lo(), location) > 0 && copyForward(digest, slot, record)) {
                        continue;
                    }
                    victims++;
                    frequencies += sketch.frequency(digest.hash64());
                    unindex(digest, slot, -1, emptied);
                } finally {
                    keyLock.unlock();
                }
            }
        }
        if (victims > 0) {
            victimFrequency = (int) (frequencies / victims);
            evictions.addAndGet(victims);
        }
        emptied.add(segment);
        delete(emptied);
    }

    /** Moves a hit record to the active segment (key lock held); false if it could not be written. */
    private boolean copyForward(StoreDigest digest, IndexSlot slot, SegmentReader.Record record) {
        RecordFormat.Preamble old = record.preamble();
        byte[] header = new byte[old.headerLength()];
        record.header().get(header);
        byte[] body = new byte[(int) old.bodyLength()];
        record.bytes().get(RecordFormat.PREAMBLE + old.headerLength(), body);
        SegmentWriter.Appended at = writer.appendInline(digest, old.stamp(), header, body, body.length, old.expires());
        if (at == null) {
            return false;
        }
        IndexSlot moved = Slots.slot(at.segment(), at.offset(), header.length, body.length, old.expires(),
                slot.instance());
        changeLock.lock();
        try {
            if (!index.replace(digest.hi(), digest.lo(), slot.location(), moved)) {
                return false;
            }
            segments.get(Slots.segment(slot.location())).detach(slot.instance());
            at.segment().attach(slot.instance());
        } finally {
            changeLock.unlock();
        }
        // The same record at a new place: a hot object stays in memory.
        memory.relocate(digest, slot.location(), moved.location());
        return true;
    }

    private void reclaimLarge(Segment segment) throws IOException {
        List<long[]> live = liveKeysOf(segment);
        boolean hit = false;
        for (long[] key : live) {
            hit |= index.decrementUses(key[0], key[1], key[2]) > 0;
        }
        if (hit) {
            long oldSeq = segment.seq();
            long seq = segments.nextSeq();
            Path path = layout.segmentPath(seq, true);
            try {
                layout.publish(segment.path(), path);
                segment.renumber(seq, path);
                segments.renumbered(segment, oldSeq);
                return;
            } catch (IOException e) {
                LOG.warn("Cannot move {} to {}; evicting it: {}", segment.path(), path, e.toString());
            }
        }
        evictAll(segment);
    }

    /** The keys whose index entries point into a large segment: {hi, lo, location} each. */
    private List<long[]> liveKeysOf(Segment segment) throws IOException {
        List<long[]> live = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
            SegmentReader reader = new SegmentReader(channel, segment.size(), reclaimBuffer);
            for (SegmentReader.Record record = reader.next(); record != null; record = reader.next()) {
                if (record.offset() == 0) {
                    reader.skipTo(segment.bodyOffset() + segment.bodyLength());
                }
                StoreDigest digest = record.preamble().digest();
                long location = Slots.location(segment.id(), record.offset());
                IndexSlot slot = index.get(digest.hi(), digest.lo());
                if (slot != null && slot.location() == location) {
                    live.add(new long[] {digest.hi(), digest.lo(), location});
                }
            }
        }
        return live;
    }

    /** Evicts every key that points into {@code segment}, then deletes it (reclaim lock held). */
    private void evictAll(Segment segment) {
        List<long[]> matches = new ArrayList<>();
        index.forEach((hi, lo, slot) -> {
            if (Slots.segment(slot.location()) == segment.id()) {
                matches.add(new long[] {hi, lo, slot.location()});
            }
        });
        for (long[] match : matches) {
            removeQuietly(new StoreDigest(match[0], match[1]), match[2]);
        }
        evictions.addAndGet(matches.size());
        List<Segment> emptied = new ArrayList<>(1);
        emptied.add(segment);
        delete(emptied);
    }

    /** Deletes segments nothing needs any more (no lock held but possibly a key lock). */
    private void delete(List<Segment> emptied) {
        for (Segment segment : emptied) {
            segments.remove(segment);
            files.invalidate(segment);
            if (!SegmentLayout.deleteQuietly(segment.path())) {
                LOG.warn("Cannot delete {}; the next start will reclaim it", segment.path());
            }
        }
        emptied.clear();
    }

    /**
     * Runs {@code change} under the key lock of {@code digest}, then deletes the segments it found
     * emptied (a large segment whose last key went) once the lock is released.
     */
    private <T> T changing(StoreDigest digest, Function<List<Segment>, T> change) {
        List<Segment> emptied = new ArrayList<>(1);
        ReentrantLock keyLock = keyLock(digest);
        keyLock.lock();
        try {
            return change.apply(emptied);
        } finally {
            keyLock.unlock();
            delete(emptied);
        }
    }

    /** Bytes the file system of the segments has free for us, or -1 if it cannot say. */
    private long usableSpace() {
        try {
            return fileStore == null ? -1 : fileStore.getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    private static FileStore fileStoreOf(Path root) {
        try {
            return Files.getFileStore(root);
        } catch (IOException e) {
            LOG.debug("Cannot tell the free space under {}: {}", root, e.toString());
            return null;
        }
    }

    private ReentrantLock keyLock(StoreDigest digest) {
        return keyLocks[(int) (digest.lo() >>> 58)];
    }

    private Optional<Read> dropUnreadable(StoreKey key, StoreDigest digest, IndexSlot slot, Segment segment,
            String why) {
        if (closed) {
            return Optional.empty();
        }
        if (removeQuietly(digest, slot.location())) {
            LOG.warn("Dropped {}: its record in {} at {} is unreadable: {}", key, segment.path(),
                    Slots.offset(slot.location()), why);
        }
        return Optional.empty();
    }
}
