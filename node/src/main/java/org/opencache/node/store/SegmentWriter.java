package org.opencache.node.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends records to segment files: to the active shared segment, which it starts, fills to the
 * segment size and seals, and to large segments. One positional write per record, under the
 * append lock for the active segment (a few microseconds: a write to the page cache) and under
 * the segment's own monitor for a large one. A write the disk refuses is logged once and the
 * active segment sealed, so that the next record starts a new file once the disk takes writes
 * again; a full file system is not logged per record but counted by the {@link DiskFullLog}.
 */
final class SegmentWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentWriter.class);
    /** Most bytes read or written in one call. */
    static final int IO_CHUNK = 64 * 1024;

    private final SegmentLayout layout;
    private final SegmentTable segments;
    private final long segmentSize;
    private final int maxRecords;
    private final DiskFullLog diskFull;
    private final ReentrantLock appendLock = new ReentrantLock();
    private Segment active;
    private FileChannel activeChannel;
    private int activeRecords;
    private boolean closed;

    /**
     * @param segmentSize bytes of a shared segment
     * @param maxRecords  records of a shared segment: so that reclaiming one when the index is at
     *                    its budget evicts a small share of it, not a segment of tiny objects
     */
    SegmentWriter(SegmentLayout layout, SegmentTable segments, long segmentSize, int maxRecords, DiskFullLog diskFull) {
        this.layout = layout;
        this.diskFull = diskFull;
        this.segments = segments;
        this.segmentSize = segmentSize;
        this.maxRecords = maxRecords;
    }

    /** Where a record was appended. */
    record Appended(Segment segment, long offset) {
    }

    /** Appends an inline record to the active segment; where, or null (with one WARN) if the disk refused. */
    Appended appendInline(StoreDigest digest, long stamp, byte[] header, byte[] body, int length, long expires) {
        try {
            return tryAppendInline(digest, stamp, header, body, length, expires);
        } catch (IOException e) {
            if (DiskFullLog.isDiskFull(e)) {
                diskFull.refused(DiskFullLog.reason(e));
            }
            return null;
        }
    }

    /**
     * Appends an inline record to the active segment; where, or the disk's refusal, logged (one
     * WARN) unless it is a full file system, which the caller may make room for and retry.
     */
    Appended tryAppendInline(StoreDigest digest, long stamp, byte[] header, byte[] body, int length, long expires)
            throws IOException {
        int recordLength = RecordFormat.PREAMBLE + header.length + length;
        ByteBuffer record = ByteBuffer.allocate((int) RecordFormat.aligned(recordLength));
        record.put(RecordFormat.PREAMBLE + header.length, body, 0, length);
        int crc = RecordFormat.bodyCrc(body, 0, length);
        return append(record, offset -> RecordFormat.writeHead(record, new RecordFormat.Preamble(
                RecordFormat.OBJECT, RecordFormat.INLINE, header.length, stamp, digest,
                offset + RecordFormat.PREAMBLE + header.length, length, expires, crc), header));
    }

    /** Appends a tombstone of {@code digest} to the active segment; where, or null. */
    Appended appendTombstone(StoreDigest digest, long stamp) {
        ByteBuffer record = RecordFormat.tombstone(digest, stamp);
        try {
            return append(record, offset -> { });
        } catch (IOException e) {
            return null;
        }
    }

    /** What a record needs to know of where it goes before it is written. */
    private interface Placement {
        void at(long offset);
    }

    /**
     * Appends a record to the active shared segment, starting a new one when it is full; where,
     * or the disk's refusal (with one WARN unless the file system is full).
     */
    private Appended append(ByteBuffer record, Placement placement) throws IOException {
        appendLock.lock();
        try {
            if (closed) {
                return null;
            }
            if (active == null || active.size() > 0
                    && (active.size() + record.capacity() > segmentSize || activeRecords >= maxRecords)) {
                closeActive();
                openActive();
            }
            activeRecords++;
            long offset = active.size();
            placement.at(offset);
            record.clear();
            writeFully(activeChannel, record, offset);
            active.size(offset + record.capacity());
            segments.grew(active, offset);
            return new Appended(active, offset);
        } catch (IOException e) {
            if (!DiskFullLog.isDiskFull(e)) {
                LOG.warn("Not storing a record: cannot write {}: {}",
                        active == null ? layout.segmentDir() : active.path(), e.toString());
            }
            closeActive();
            throw e;
        } finally {
            appendLock.unlock();
        }
    }

    /** Appends a record to a large segment; its offset, or -1 (with one WARN) if the disk refused. */
    long appendToLarge(Segment segment, ByteBuffer record) {
        synchronized (segment) {
            long offset = RecordFormat.aligned(segment.size());
            try (FileChannel channel = PrivateFiles.open(segment.path(), StandardOpenOption.WRITE)) {
                record.clear();
                writeFully(channel, record, offset);
            } catch (IOException e) {
                if (DiskFullLog.isDiskFull(e)) {
                    diskFull.refused(DiskFullLog.reason(e));
                } else {
                    LOG.warn("Cannot write to {}: {}", segment.path(), e.toString());
                }
                return -1;
            }
            long oldSize = segment.size();
            segment.size(offset + record.capacity());
            segments.grew(segment, oldSize);
            return offset;
        }
    }

    /** Starts a new active segment (append lock held). */
    private void openActive() throws IOException {
        long seq = segments.nextSeq();
        Path path = layout.segmentPath(seq, false);
        activeChannel = layout.createSegment(path);
        active = Segment.shared(segments.newId(), seq, path);
        activeRecords = 0;
        segments.add(active);
    }

    /** Seals the active segment (append lock held); reads go on through their own channels. */
    private void closeActive() {
        if (active == null) {
            return;
        }
        try {
            activeChannel.close();
        } catch (IOException e) {
            LOG.warn("Cannot close {}: {}", active.path(), e.toString());
        }
        active = null;
        activeChannel = null;
    }

    /**
     * Writes all of {@code bytes} at {@code offset}, at most {@value #IO_CHUNK} bytes per call:
     * the JDK copies a heap buffer through a temporary direct buffer of the call's size and keeps
     * it cached per thread, so larger calls would leave every origin thread with a large native
     * buffer.
     */
    static void writeFully(FileChannel channel, ByteBuffer bytes, long offset) throws IOException {
        long at = offset;
        while (bytes.hasRemaining()) {
            int chunk = Math.min(bytes.remaining(), IO_CHUNK);
            ByteBuffer slice = bytes.slice(bytes.position(), chunk);
            while (slice.hasRemaining()) {
                at += channel.write(slice, at);
            }
            bytes.position(bytes.position() + chunk);
        }
    }

    /** Reads {@code into} full from {@code offset}, in calls of at most {@value #IO_CHUNK} bytes (see {@link #writeFully}). */
    static void readFully(FileChannel channel, ByteBuffer into, long offset) throws IOException {
        long at = offset;
        while (into.hasRemaining()) {
            int chunk = Math.min(into.remaining(), IO_CHUNK);
            ByteBuffer slice = into.slice(into.position(), chunk);
            while (slice.hasRemaining()) {
                int read = channel.read(slice, at + slice.position());
                if (read < 0) {
                    throw new EOFException("the file ends before the record does");
                }
            }
            into.position(into.position() + chunk);
            at += chunk;
        }
    }

    /**
     * The segment to reclaim next: the oldest but the active one, or the active one, sealed, if
     * it is the only one that holds anything; null if there is none.
     */
    Segment oldestToReclaim() {
        appendLock.lock();
        try {
            Segment oldest = segments.oldest(active);
            if (oldest == null && active != null && active.size() > 0) {
                oldest = active;
                closeActive();
            }
            return oldest;
        } finally {
            appendLock.unlock();
        }
    }

    /** Seals the active segment; no more records are written. */
    void close() {
        appendLock.lock();
        try {
            closed = true;
            closeActive();
        } finally {
            appendLock.unlock();
        }
    }
}
