package org.opencache.node.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.locks.StampedLock;
import java.util.function.ToLongFunction;

/**
 * The disk store's index: a 128-bit key digest → {@link IndexSlot}, for millions of objects in a
 * few dozen bytes of heap each. A map of records costs about 2 KiB per object (key strings,
 * entry, node and record headers); here an entry is one slot across parallel primitive arrays
 * ({@link #bytesPerSlot()} bytes), with no object per entry, so the garbage collector has nothing
 * to trace either.
 *
 * <p>The table is open addressing with linear probing and backward-shift deletion (no tombstones
 * that pile up under churn), split into {@value #STRIPES} stripes by digest bits, each with its
 * own arrays and {@link StampedLock}. Lookups ({@link #get}, {@link #uses}, {@link #touch}) take
 * no lock: they read under an optimistic stamp and only fall back to the read lock when a writer
 * of the same stripe interfered, so hits on different keys never contend. Changes take the
 * stripe's write lock.
 *
 * <p>A stripe starts at {@value #INITIAL_CAPACITY} slots (an empty index holds about 40 KB) and
 * grows by a fifth when it passes 3/4 full. Not by doubling: right after a doubling a stripe is
 * 3/8 full, which costs 104 bytes per entry; growing by a fifth keeps a stripe of 80 slots or more
 * (an index past a few thousand entries) between 5/8 and 3/4 full, 52 to 62 bytes per entry. The
 * price is more copying (each entry is moved about five times on the way to a million entries
 * instead of once), done under one stripe's lock at a time. A stripe does not shrink when entries
 * go, except through {@link #clear}.
 *
 * <p>Each entry also keeps a use count, 0 to 3, for a CLOCK-like eviction pass: {@link #touch}
 * raises it on every hit and {@link #decrementUses} lowers it as the pass sweeps.
 */
final class CompactIndex {
    /** Stripes, a power of two: enough that writers on different keys rarely share a lock. */
    private static final int STRIPES = 64;
    private static final int INITIAL_CAPACITY = 16;
    /** A stripe's bound, so that its digest array (two longs a slot) stays within an int's index. */
    private static final int MAX_CAPACITY = 1 << 29;

    /** A slot's state: empty, or occupied with a use count of {@code state - OCCUPIED}. */
    private static final byte EMPTY = 0;
    private static final byte OCCUPIED = 1;
    private static final int MAX_USES = 3;

    private static final VarHandle STATES = MethodHandles.arrayElementVarHandle(byte[].class);

    /** Visits one entry; see {@link CompactIndex#forEach}. */
    @FunctionalInterface
    interface IndexVisitor {
        void visit(long hi, long lo, IndexSlot slot);
    }

    private final Stripe[] stripes = new Stripe[STRIPES];

    /** An empty index. */
    CompactIndex() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /**
     * The slot stored under the digest, or null. Lock-free unless a writer of the same stripe runs
     * meanwhile: the fields are read under an optimistic stamp, and a read that a write overlapped
     * (which may have mixed two entries' fields) is thrown away and done again under the read lock.
     */
    IndexSlot get(long hi, long lo) {
        return read(hi, lo, (table, h) -> table.get(h, hi, lo));
    }

    /**
     * Stores {@code value} under the digest, replacing any entry there; returns the replaced slot,
     * or null. The use count starts at 0 either way: a new value is a new object, whose popularity
     * has yet to show.
     */
    IndexSlot put(long hi, long lo, IndexSlot value) {
        Objects.requireNonNull(value, "value");
        return change(hi, lo, (stripe, h, i) -> {
            Table table = stripe.table;
            if (i >= 0) {
                IndexSlot old = table.slot(i);
                table.set(i, value);
                table.states[i] = OCCUPIED;
                return old;
            }
            if (table.isFull()) {
                table = table.grown();
                stripe.table = table;
            }
            table.insert(h, hi, lo, value);
            return null;
        });
    }

    /**
     * Replaces the entry only if it still lies at {@code expectedLocation}, keeping its use count
     * (the same object, rewritten or moved); true if it was replaced. Lets the store update an
     * entry without the store lock while a concurrent write of the same key wins.
     */
    boolean replace(long hi, long lo, long expectedLocation, IndexSlot value) {
        Objects.requireNonNull(value, "value");
        return change(hi, lo, (stripe, h, i) -> {
            if (i < 0 || stripe.table.locations[i] != expectedLocation) {
                return false;
            }
            stripe.table.set(i, value);
            return true;
        });
    }

    /** Removes the entry under the digest; returns its slot, or null if there was none. */
    IndexSlot remove(long hi, long lo) {
        return change(hi, lo, (stripe, h, i) -> {
            if (i < 0) {
                return null;
            }
            IndexSlot old = stripe.table.slot(i);
            stripe.table.delete(i);
            return old;
        });
    }

    /**
     * Removes the entry only if it still lies at {@code expectedLocation}; true if it was removed.
     * Lets an eviction or a purge drop what it saw without dropping a newer write of the same key.
     */
    boolean remove(long hi, long lo, long expectedLocation) {
        return change(hi, lo, (stripe, h, i) -> {
            if (i < 0 || stripe.table.locations[i] != expectedLocation) {
                return false;
            }
            stripe.table.delete(i);
            return true;
        });
    }

    /**
     * Counts a use of the entry, up to {@value #MAX_USES}, and returns it ({@link #get} and the
     * count in one search); null if it is absent. Called on every lookup, so it takes no lock:
     * it reads the slot under an optimistic stamp and raises the count with one compare-and-set.
     * A writer may move the entry between the two, and the count then goes to another entry or is
     * lost; that only sways an eviction choice. What must not happen, an empty slot turning
     * occupied, cannot: the compare-and-set only succeeds on a slot
     * that is occupied at that moment. A saturated count costs a read and no write, so the hottest
     * keys do not bounce a cache line between cores. Under the write lock instead, every hit would
     * change the stripe's stamp and send concurrent lookups in that stripe to the read lock; it
     * also measured slower per hit on hot keys.
     */
    IndexSlot touch(long hi, long lo) {
        long h = hash(hi, lo);
        Stripe stripe = stripe(h);
        long stamp = stripe.lock.tryOptimisticRead();
        Table table = stripe.table;
        int i = table.find(h, hi, lo);
        IndexSlot slot = i >= 0 ? table.slot(i) : null;
        if (stripe.lock.validate(stamp)) {
            if (i >= 0) {
                table.touch(i);
            }
            return slot;
        }
        // A writer overlapped the search, whose index may be wrong: search again while none can.
        stamp = stripe.lock.readLock();
        try {
            table = stripe.table;
            i = table.find(h, hi, lo);
            if (i < 0) {
                return null;
            }
            table.touch(i);
            return table.slot(i);
        } finally {
            stripe.lock.unlockRead(stamp);
        }
    }

    /** The entry's use count (0 to {@value #MAX_USES}), or -1 if it is absent. Lock-free, as {@link #get}. */
    int uses(long hi, long lo) {
        return read(hi, lo, (table, h) -> table.uses(h, hi, lo));
    }

    /**
     * For an eviction pass: if the entry lies at {@code expectedLocation}, returns its use count
     * and lowers it by one (0 stays 0), so that an entry survives one pass per recent use;
     * otherwise -1. The location check keeps a pass that saw an old object from charging the new
     * object stored under the same key since.
     */
    int decrementUses(long hi, long lo, long expectedLocation) {
        return change(hi, lo, (stripe, h, i) -> {
            Table table = stripe.table;
            if (i < 0 || table.locations[i] != expectedLocation) {
                return -1;
            }
            int uses = table.states[i] - OCCUPIED;
            if (uses > 0) {
                table.states[i] = (byte) (OCCUPIED + uses - 1);
            }
            return uses;
        });
    }

    /**
     * Visits every entry, weakly consistent: each stripe is copied under its read lock and visited
     * after the lock is released, so the visitor may call any method of this index, {@link #remove}
     * and {@link #put} included ({@link StampedLock} is not reentrant), and changes made meanwhile
     * to stripes not yet copied show. Costs one stripe's arrays of garbage at a time.
     */
    void forEach(IndexVisitor visitor) {
        for (Stripe stripe : stripes) {
            Table snapshot;
            long stamp = stripe.lock.readLock();
            try {
                snapshot = stripe.table.snapshot();
            } finally {
                stripe.lock.unlockRead(stamp);
            }
            for (int i = 0; i < snapshot.capacity; i++) {
                if (snapshot.states[i] != EMPTY) {
                    visitor.visit(snapshot.keys[2 * i], snapshot.keys[2 * i + 1], snapshot.slot(i));
                }
            }
        }
    }

    /** The number of entries (each stripe counted at a different moment). */
    int size() {
        return (int) Math.min(sum(table -> table.size), Integer.MAX_VALUE);
    }

    /** Removes every entry and gives the grown arrays back, so the index costs what a new one does. */
    void clear() {
        for (Stripe stripe : stripes) {
            long stamp = stripe.lock.writeLock();
            try {
                stripe.table = new Table(INITIAL_CAPACITY);
            } finally {
                stripe.lock.unlockWrite(stamp);
            }
        }
    }

    /**
     * Bytes the index's arrays hold, from their lengths: what lets the store report heap per
     * object and keep the index within a budget. Leaves out the arrays' headers and the few
     * objects per stripe, some KiB in all.
     */
    long heapBytes() {
        return sum(table -> (long) table.capacity * bytesPerSlot());
    }

    /** Bytes one slot costs across all the arrays; a stripe keeps 1/4 to 3/8 of its slots empty. */
    static long bytesPerSlot() {
        return 2L * Long.BYTES // digest
                + Long.BYTES // location
                + Long.BYTES // size
                + Integer.BYTES // expires
                + Short.BYTES // instance
                + Byte.BYTES; // state: occupied and use count
    }

    /** A change to one stripe, given the slot where the digest was found (or -1), under its write lock. */
    @FunctionalInterface
    private interface Change<T> {
        T apply(Stripe stripe, long h, int found);
    }

    /** Runs {@code change} on the digest's stripe under its write lock. */
    private <T> T change(long hi, long lo, Change<T> change) {
        long h = hash(hi, lo);
        Stripe stripe = stripe(h);
        long stamp = stripe.lock.writeLock();
        try {
            return change.apply(stripe, h, stripe.table.find(h, hi, lo));
        } finally {
            stripe.lock.unlockWrite(stamp);
        }
    }

    /** A read of one stripe's table. */
    @FunctionalInterface
    private interface Read<T> {
        T apply(Table table, long h);
    }

    /**
     * Runs {@code read} on the digest's stripe under an optimistic stamp; a read that a write
     * overlapped (which may have mixed two entries' fields) is thrown away and done again under
     * the read lock.
     */
    private <T> T read(long hi, long lo, Read<T> read) {
        long h = hash(hi, lo);
        Stripe stripe = stripe(h);
        long stamp = stripe.lock.tryOptimisticRead();
        T value = read.apply(stripe.table, h);
        if (stripe.lock.validate(stamp)) {
            return value;
        }
        stamp = stripe.lock.readLock();
        try {
            return read.apply(stripe.table, h);
        } finally {
            stripe.lock.unlockRead(stamp);
        }
    }

    /**
     * Mixes both halves of the digest into one 64-bit hash (Murmur3's finalizer). SHA-256 digests
     * are uniform already, but the index must stay sound for any digest: unmixed, digests that
     * share their low bits would pile into one stripe and one probe cluster.
     */
    private static long hash(long hi, long lo) {
        long h = hi * 0x9E3779B97F4A7C15L + lo;
        h = (h ^ (h >>> 33)) * 0xFF51AFD7ED558CCDL;
        h = (h ^ (h >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }

    /** The stripe of a hash: its low bits, while a slot's home comes from its high bits. */
    private Stripe stripe(long h) {
        return stripes[(int) h & (STRIPES - 1)];
    }

    /** Sums a measure of every stripe's table, each read under its lock. */
    private long sum(ToLongFunction<Table> measure) {
        long total = 0;
        for (Stripe stripe : stripes) {
            long stamp = stripe.lock.readLock();
            try {
                total += measure.applyAsLong(stripe.table);
            } finally {
                stripe.lock.unlockRead(stamp);
            }
        }
        return total;
    }

    /** One lock and the table it guards. */
    private static final class Stripe {
        final StampedLock lock = new StampedLock();
        Table table = new Table(INITIAL_CAPACITY);
    }

    /**
     * One stripe's slots as parallel arrays, slot {@code i} being element {@code i} of each. The
     * arrays are final and of one length, and growing builds a new table rather than new arrays
     * in this one: an optimistic reader that read the stripe's table once indexes arrays that
     * agree with each other, so a concurrent resize can feed it stale values (which validation
     * rejects) but never an index out of bounds.
     *
     * <p>No method locks; the caller holds the stripe's write lock to change anything (except
     * {@link #touch}), and a reader without a lock validates what it read.
     */
    private static final class Table {
        final int capacity;
        /** The digests, hi at 2i and lo at 2i + 1, so that a probe compares both in one cache line. */
        final long[] keys;
        final long[] locations;
        final long[] sizes;
        final int[] expires;
        final short[] instances;
        /**
         * {@link CompactIndex#EMPTY}, or {@link CompactIndex#OCCUPIED} plus the use count. Occupancy is kept here rather
         * than as a reserved digest so that every digest, 0/0 included, is a key, at no extra byte.
         */
        final byte[] states;
        int size;

        Table(int capacity) {
            this.capacity = capacity;
            this.keys = new long[2 * capacity];
            this.locations = new long[capacity];
            this.sizes = new long[capacity];
            this.expires = new int[capacity];
            this.instances = new short[capacity];
            this.states = new byte[capacity];
        }

        /**
         * The slot holding the digest, or -1. Gives up after {@code capacity} probes: a table
         * always keeps empty slots, so only a torn optimistic read can get that far, and it must
         * end rather than loop, to be rejected by validation.
         */
        int find(long h, long hi, long lo) {
            int i = home(h);
            for (int probes = 0; probes < capacity; probes++) {
                if (states[i] == EMPTY) {
                    return -1;
                }
                if (keys[2 * i] == hi && keys[2 * i + 1] == lo) {
                    return i;
                }
                i = next(i);
            }
            return -1;
        }

        IndexSlot get(long h, long hi, long lo) {
            int i = find(h, hi, lo);
            return i < 0 ? null : slot(i);
        }

        int uses(long h, long hi, long lo) {
            int i = find(h, hi, lo);
            return i < 0 ? -1 : states[i] - OCCUPIED;
        }

        IndexSlot slot(int i) {
            return new IndexSlot(locations[i], sizes[i], expires[i], instances[i]);
        }

        void set(int i, IndexSlot value) {
            locations[i] = value.location();
            sizes[i] = value.size();
            expires[i] = value.expires();
            instances[i] = value.instance();
        }

        /** True if one more entry would take the table past 3/4 full, where probes get long. */
        boolean isFull() {
            return 4L * (size + 1) > 3L * capacity;
        }

        /** Adds an entry known to be absent, with no uses, into a table that is not full. */
        void insert(long h, long hi, long lo, IndexSlot value) {
            int i = freeSlot(h);
            keys[2 * i] = hi;
            keys[2 * i + 1] = lo;
            set(i, value);
            states[i] = OCCUPIED;
            size++;
        }

        /**
         * Empties slot {@code i}. Backward-shift deletion: every later entry of the probe cluster
         * whose probe path crosses the hole moves into it, and the hole moves on, so a lookup
         * still reaches each entry before an empty slot, without tombstones that would accumulate.
         */
        void delete(int i) {
            int hole = i;
            for (int j = next(hole); states[j] != EMPTY; j = next(j)) {
                int home = home(hash(keys[2 * j], keys[2 * j + 1]));
                if (distance(home, j) >= distance(hole, j)) {
                    copy(this, j, hole);
                    hole = j;
                }
            }
            states[hole] = EMPTY;
            size--;
        }

        /**
         * Raises slot {@code i}'s use count if it is occupied and below the maximum. One
         * compare-and-set, not retried: a failure means another touch or a writer got there
         * first, and a lost count is harmless (see {@link CompactIndex#touch}).
         */
        void touch(int i) {
            byte state = states[i];
            if (state != EMPTY && state < OCCUPIED + MAX_USES) {
                STATES.compareAndSet(states, i, state, (byte) (state + 1));
            }
        }

        /** A table with room for a fifth more entries (see the class comment), holding these. */
        Table grown() {
            if (capacity >= MAX_CAPACITY) {
                throw new IllegalStateException("index stripe full at " + capacity + " slots");
            }
            Table bigger = new Table(capacity + Math.max(capacity / 5, INITIAL_CAPACITY));
            for (int i = 0; i < capacity; i++) {
                if (states[i] != EMPTY) {
                    bigger.copy(this, i, bigger.freeSlot(hash(keys[2 * i], keys[2 * i + 1])));
                }
            }
            bigger.size = size;
            return bigger;
        }

        /** A copy, slot for slot, that a visitor can walk while writers change this table. */
        Table snapshot() {
            Table copy = new Table(capacity);
            for (int i = 0; i < capacity; i++) {
                if (states[i] != EMPTY) {
                    copy.copy(this, i, i);
                }
            }
            copy.size = size;
            return copy;
        }

        /** Copies slot {@code from} of {@code source}, digest, fields and state, into slot {@code to}. */
        private void copy(Table source, int from, int to) {
            keys[2 * to] = source.keys[2 * from];
            keys[2 * to + 1] = source.keys[2 * from + 1];
            locations[to] = source.locations[from];
            sizes[to] = source.sizes[from];
            expires[to] = source.expires[from];
            instances[to] = source.instances[from];
            states[to] = source.states[from];
        }

        /** The first empty slot on the digest's probe path. */
        private int freeSlot(long h) {
            int i = home(h);
            while (states[i] != EMPTY) {
                i = next(i);
            }
            return i;
        }

        /**
         * Where a hash's probe path starts: its high 32 bits scaled to the capacity (a multiply and
         * a shift, where a mask would force power-of-two capacities and so doubling).
         */
        private int home(long h) {
            return (int) (((h >>> 32) * capacity) >>> 32);
        }

        private int next(int i) {
            return i + 1 == capacity ? 0 : i + 1;
        }

        /** Probes from slot {@code from} forward to slot {@code to}, wrapping around. */
        private int distance(int from, int to) {
            return to >= from ? to - from : to - from + capacity;
        }
    }
}
