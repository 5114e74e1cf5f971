package org.opencache.node.store;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One segment file of the disk tier ({@link SegmentLayout}): shared by many small objects, or
 * holding one large body and the records of the keys that serve it.
 *
 * <p>The {@link #id} is what index locations name; it is reused once the segment is gone (a
 * lookup checks the record it reads, so a stale location is only a miss). The sequence number
 * orders the segments for reclaiming and names the file; a large segment whose body is still
 * asked for is moved to the young end by renaming it, which changes its sequence and path but
 * not its id. Sizes and counts change under the disk tier's locks; they are volatile so that
 * stats and lookups may read them without.
 */
final class Segment {
    private final int id;
    private final boolean large;
    private volatile long seq;
    private volatile Path path;
    private volatile long size;
    private volatile int liveKeys;
    private final long bodyOffset;
    private final long bodyLength;
    /** Keys per instance that a large segment's body serves (to count the body once per instance). */
    private final Map<Short, Integer> instanceKeys;

    /** A shared segment, empty. */
    static Segment shared(int id, long seq, Path path) {
        return new Segment(id, false, seq, path, 0, -1, -1);
    }

    /** A large segment of {@code size} bytes whose body is at {@code bodyOffset}. */
    static Segment large(int id, long seq, Path path, long size, long bodyOffset, long bodyLength) {
        return new Segment(id, true, seq, path, size, bodyOffset, bodyLength);
    }

    private Segment(int id, boolean large, long seq, Path path, long size, long bodyOffset, long bodyLength) {
        this.id = id;
        this.large = large;
        this.seq = seq;
        this.path = path;
        this.size = size;
        this.bodyOffset = bodyOffset;
        this.bodyLength = bodyLength;
        this.instanceKeys = large ? new HashMap<>() : null;
    }

    /** The id that index locations name. */
    int id() {
        return id;
    }

    /** Whether this segment holds one large body. */
    boolean large() {
        return large;
    }

    /** The reclaim order: lower is older. */
    long seq() {
        return seq;
    }

    /** The file. */
    Path path() {
        return path;
    }

    /** Moves the segment to a new sequence number and file name (after the rename). */
    void renumber(long newSeq, Path newPath) {
        seq = newSeq;
        path = newPath;
    }

    /** Bytes written to the file. */
    long size() {
        return size;
    }

    /** Sets the bytes written (by the one appender of the segment). */
    void size(long bytes) {
        size = bytes;
    }

    /** Bytes the file takes on disk: whole 4 KiB blocks, as {@code du} counts them. */
    long allocated() {
        return blocks(size);
    }

    /** Index entries that point into this segment. */
    int liveKeys() {
        return liveKeys;
    }

    /** One more index entry points here; for a large segment, of {@code instance}. True if its instance had none. */
    boolean attach(short instance) {
        liveKeys++;
        return !large || instanceKeys.merge(instance, 1, Integer::sum) == 1;
    }

    /** One index entry less points here; true if {@code instance} has none left (always for a shared segment). */
    boolean detach(short instance) {
        liveKeys--;
        if (!large) {
            return true;
        }
        Integer left = instanceKeys.computeIfPresent(instance, (i, n) -> n > 1 ? n - 1 : null);
        return left == null;
    }

    /** Where a large segment's body starts. */
    long bodyOffset() {
        return bodyOffset;
    }

    /** A large segment's body length. */
    long bodyLength() {
        return bodyLength;
    }

    /** {@code bytes} rounded up to whole 4 KiB blocks. */
    static long blocks(long bytes) {
        return (bytes + 4095) & ~4095L;
    }

    @Override
    public String toString() {
        return path.getFileName().toString();
    }
}
