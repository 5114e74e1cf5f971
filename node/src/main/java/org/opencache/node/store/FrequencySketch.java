package org.opencache.node.store;

/**
 * How often each key was asked for recently, approximately, for TinyLFU admission: a new object
 * takes an old one's place only if its key is asked for more often. Keeps no keys, so it also
 * remembers keys that are not stored (a key refused once is admitted when it comes back often),
 * in a fixed table of about one long per expected entry.
 *
 * <p>A count-min sketch of 4-bit counters, sixteen to a long, in four rows: each row hashes the
 * key its own way to one counter, an increment raises the key's four counters and the estimate is
 * the smallest of them, since collisions only ever add. Row {@code r} uses the counters
 * {@code r, r + 4, r + 8, r + 12} of a long, so rows never share a counter. Every
 * {@link #sampleSize()} increments all counters are halved, so that old popularity fades and 15
 * is a high count again.
 *
 * <p>Thread-safe without locks, because exactness is not needed: increments race, and one may be
 * lost (two threads rewriting the same long) or undo part of an aging that runs meanwhile. That
 * only blurs an estimate that is approximate anyway, and costs nothing on every request.
 */
final class FrequencySketch {
    private static final int MIN_LONGS = 64;
    private static final int MAX_LONGS = 1 << 24;
    private static final int ROWS = 4;
    /** Increments per long of the table between two agings: TinyLFU's sample of ten per entry. */
    private static final int SAMPLE_PER_LONG = 10;
    private static final int MAX_COUNT = 15;
    /** Each counter's three high bits: what a halved counter keeps. */
    private static final long HALF_MASK = 0x7777_7777_7777_7777L;
    /** Added to the key before mixing, one per row, so that each row hashes it differently. */
    private static final long[] ROW_SEEDS = {
        0x9E37_79B9_7F4A_7C15L, 0xC2B2_AE3D_27D4_EB4FL, 0x1656_67B1_9E37_79F9L, 0xD6E8_FEB8_6659_FD93L
    };

    private final long[] table;
    private final long sampleSize;
    /** Increments since the last aging; racy like the counters. */
    private long increments;

    /**
     * A sketch for about {@code expectedEntries} keys: a table of the next power of two as many
     * longs (at least {@value #MIN_LONGS}, at most {@value #MAX_LONGS}, 128 MiB), whose four rows
     * then have four counters per expected key, few enough collisions for a useful estimate.
     */
    FrequencySketch(long expectedEntries) {
        if (expectedEntries < 0) {
            throw new IllegalArgumentException("expectedEntries < 0: " + expectedEntries);
        }
        int longs = Math.clamp(expectedEntries, MIN_LONGS, MAX_LONGS);
        this.table = new long[Integer.highestOneBit(longs - 1) << 1];
        this.sampleSize = (long) SAMPLE_PER_LONG * table.length;
    }

    /** Counts one request for the key whose hash is given; every {@link #sampleSize()}-th ages the sketch. */
    void increment(long hash) {
        for (int row = 0; row < ROWS; row++) {
            long mixed = mix(hash, row);
            int index = index(mixed);
            int shift = shift(mixed, row);
            long word = table[index];
            if (((word >>> shift) & MAX_COUNT) < MAX_COUNT) {
                table[index] = word + (1L << shift);
            }
        }
        if (++increments >= sampleSize) {
            age();
        }
    }

    /**
     * The estimated number of recent requests for the key, 0 to 15: never fewer than were counted
     * since the last aging (lost racing increments aside), more when other keys collide in all rows.
     */
    int frequency(long hash) {
        int frequency = MAX_COUNT;
        for (int row = 0; row < ROWS; row++) {
            long mixed = mix(hash, row);
            int count = (int) (table[index(mixed)] >>> shift(mixed, row)) & MAX_COUNT;
            frequency = Math.min(frequency, count);
        }
        return frequency;
    }

    /** Increments between two agings: ten per long of the table, so an average counter then holds 2.5. */
    long sampleSize() {
        return sampleSize;
    }

    /** Bytes the table holds (its header left out). */
    long heapBytes() {
        return (long) table.length * Long.BYTES;
    }

    /**
     * Halves every counter. Synchronized, and checks the count again, so that threads that reach
     * the sample size together age the sketch once; the count restarts at half, as the counters
     * now hold half as many requests.
     */
    private synchronized void age() {
        if (increments < sampleSize) {
            return;
        }
        for (int i = 0; i < table.length; i++) {
            table[i] = (table[i] >>> 1) & HALF_MASK;
        }
        increments /= 2;
    }

    /**
     * The key's hash as one row sees it (SplitMix64's finalizer over the hash plus the row's seed).
     * The hash comes from SHA-256 and is uniform already, but the rows must not agree on which keys
     * collide, or a second row would add no information.
     */
    private static long mix(long hash, int row) {
        long z = hash + ROW_SEEDS[row];
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** The long holding the row's counter: high bits of the mix. */
    private int index(long mixed) {
        return (int) (mixed >>> 32) & (table.length - 1);
    }

    /** The counter's bit offset in its long: one of the row's four counters, chosen by low bits. */
    private static int shift(long mixed, int row) {
        return ((((int) mixed & 3) << 2) + row) << 2;
    }
}
