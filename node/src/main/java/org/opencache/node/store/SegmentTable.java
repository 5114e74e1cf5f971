package org.opencache.node.store;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The disk tier's segments, by id (for lookups, lock-free) and by sequence number (for
 * reclaiming, oldest first), with the bytes they take on disk. Ids are reused once a segment is
 * gone; sequence numbers never are.
 */
final class SegmentTable {
    private volatile Segment[] byId = new Segment[64];
    private final ArrayDeque<Integer> freeIds = new ArrayDeque<>();
    private int nextId;
    private final ConcurrentSkipListMap<Long, Segment> bySeq = new ConcurrentSkipListMap<>();
    private final AtomicLong nextSeq;
    private final AtomicLong allocated = new AtomicLong();

    /** A table whose new segments are numbered from {@code firstSeq} on. */
    SegmentTable(long firstSeq) {
        this.nextSeq = new AtomicLong(firstSeq);
    }

    /** A new sequence number, higher than every one before. */
    long nextSeq() {
        return nextSeq.getAndIncrement();
    }

    /** A free id for a new segment. */
    synchronized int newId() {
        Integer free = freeIds.poll();
        return free != null ? free : nextId++;
    }

    /** Adds a segment made with an id from {@link #newId}. */
    synchronized void add(Segment segment) {
        Segment[] table = byId;
        if (segment.id() >= table.length) {
            table = Arrays.copyOf(table, Math.max(table.length * 2, segment.id() + 1));
        }
        table[segment.id()] = segment;
        byId = table;
        bySeq.put(segment.seq(), segment);
        allocated.addAndGet(segment.allocated());
    }

    /** Removes a segment (its file is deleted by the caller); its id becomes free. */
    synchronized void remove(Segment segment) {
        if (bySeq.remove(segment.seq(), segment)) {
            byId[segment.id()] = null;
            freeIds.add(segment.id());
            allocated.addAndGet(-segment.allocated());
        }
    }

    /** Moves a segment to a new sequence number (its file already renamed). */
    synchronized void renumbered(Segment segment, long oldSeq) {
        bySeq.remove(oldSeq, segment);
        bySeq.put(segment.seq(), segment);
    }

    /** A segment grew from {@code oldSize} bytes to its current size. */
    void grew(Segment segment, long oldSize) {
        allocated.addAndGet(segment.allocated() - Segment.blocks(oldSize));
    }

    /** The segment with {@code id}, or null. Lock-free. */
    Segment get(int id) {
        Segment[] table = byId;
        return id >= 0 && id < table.length ? table[id] : null;
    }

    /** The oldest segment other than {@code except}, or null. */
    Segment oldest(Segment except) {
        for (Map.Entry<Long, Segment> entry : bySeq.entrySet()) {
            if (entry.getValue() != except) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** Every segment, oldest first (weakly consistent). */
    Collection<Segment> all() {
        return bySeq.values();
    }

    /** Bytes all segment files take on disk, in whole blocks. */
    long allocated() {
        return allocated.get();
    }

    /** Number of segments. */
    int count() {
        return bySeq.size();
    }
}
