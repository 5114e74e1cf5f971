package org.opencache.node.store;

/**
 * How the disk tier packs what it knows of one key into an {@link IndexSlot}'s numbers, so that
 * the index needs no object per key:
 * <ul>
 *   <li>location: the segment id (high 32 bits) and the record's offset in it, in 8-byte units
 *       (low 32 bits: records start at multiples of 8, so a segment can be 32 GiB);</li>
 *   <li>size: the header length (high 20 bits) and the body length (low 44 bits);</li>
 *   <li>expires: epoch seconds as an unsigned int (to 2106), the maximum meaning never.</li>
 * </ul>
 */
final class Slots {
    /** The longest header a record may have. */
    static final int MAX_HEADER = (1 << 20) - 1;
    /** The largest offset a record may start at. */
    static final long MAX_OFFSET = (1L << 35) - 8;
    private static final long BODY_MASK = (1L << 44) - 1;
    private static final long NEVER = 0xFFFF_FFFFL;

    private Slots() {
    }

    /** The slot of a record. */
    static IndexSlot slot(Segment segment, long offset, int headerLength, long bodyLength, long expires,
            short instance) {
        return new IndexSlot(location(segment.id(), offset), ((long) headerLength << 44) | bodyLength,
                expiresField(expires), instance);
    }

    /** A location. */
    static long location(int segmentId, long offset) {
        return ((long) segmentId << 32) | (offset >>> 3);
    }

    /** The segment id of a location. */
    static int segment(long location) {
        return (int) (location >>> 32);
    }

    /** The record offset of a location. */
    static long offset(long location) {
        return (location & 0xFFFF_FFFFL) << 3;
    }

    /** The header length of a slot. */
    static int headerLength(IndexSlot slot) {
        return (int) (slot.size() >>> 44);
    }

    /** The body length of a slot. */
    static long bodyLength(IndexSlot slot) {
        return slot.size() & BODY_MASK;
    }

    /** The expiry of a slot in epoch seconds, {@link Long#MAX_VALUE} for never. */
    static long expires(IndexSlot slot) {
        long field = Integer.toUnsignedLong(slot.expires());
        return field == NEVER ? Long.MAX_VALUE : field;
    }

    private static int expiresField(long epochSeconds) {
        if (epochSeconds >= NEVER) {
            return (int) NEVER;
        }
        return (int) Math.max(0, epochSeconds);
    }
}
