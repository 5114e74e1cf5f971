package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The compact disk index against a map, at a million entries, and under concurrent writers. */
class CompactIndexTest {

    private record Digest(long hi, long lo) {
    }

    /** A model entry: the slot and its use count. */
    private record Modelled(IndexSlot slot, int uses) {
    }

    /** A slot whose every field follows from the digest, so a read mixing two entries shows. */
    private static IndexSlot derived(long hi, long lo) {
        return new IndexSlot(hi ^ lo, hi + 1, (int) (lo >>> 17) ^ (int) hi, (short) (hi * 31 + lo));
    }

    private static IndexSlot random(Random random) {
        // Few locations, so that a wrong expected location is sometimes the right one.
        return new IndexSlot(random.nextInt(4), random.nextLong(), random.nextInt(), (short) random.nextInt());
    }

    @Test
    void randomOperationsMatchAMap() {
        Random random = new Random(20);
        // 3 000 digests that share most bits (all low bits of lo zero, hi small), 0/0 among them.
        List<Digest> digests = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            digests.add(new Digest(i % 50, (long) (i / 50) << 40));
        }
        CompactIndex index = new CompactIndex();
        Map<Digest, Modelled> model = new HashMap<>();

        for (int op = 0; op < 200_000; op++) {
            // Skewed towards puts early and removals late, so stripes both grow and empty out.
            Digest d = digests.get(random.nextInt(op < 100_000 ? digests.size() : digests.size() / 3));
            Modelled m = model.get(d);
            IndexSlot value = random(random);
            long location = random.nextInt(4);
            switch (random.nextInt(op < 100_000 ? 8 : 10)) {
                case 0, 1 -> {
                    assertEquals(m == null ? null : m.slot(), index.put(d.hi(), d.lo(), value), "put " + d);
                    model.put(d, new Modelled(value, 0));
                }
                case 2 -> {
                    boolean replaced = m != null && m.slot().location() == location;
                    assertEquals(replaced, index.replace(d.hi(), d.lo(), location, value), "replace " + d);
                    if (replaced) {
                        model.put(d, new Modelled(value, m.uses()));
                    }
                }
                case 3 -> {
                    assertEquals(m == null ? null : m.slot(), index.get(d.hi(), d.lo()), "get " + d);
                    assertEquals(m == null ? -1 : m.uses(), index.uses(d.hi(), d.lo()), "uses " + d);
                }
                case 4 -> {
                    index.touch(d.hi(), d.lo());
                    if (m != null) {
                        model.put(d, new Modelled(m.slot(), Math.min(3, m.uses() + 1)));
                    }
                }
                case 5 -> {
                    boolean matches = m != null && m.slot().location() == location;
                    assertEquals(matches ? m.uses() : -1, index.decrementUses(d.hi(), d.lo(), location), "decrement " + d);
                    if (matches) {
                        model.put(d, new Modelled(m.slot(), Math.max(0, m.uses() - 1)));
                    }
                }
                case 6, 7 -> {
                    boolean removed = m != null && m.slot().location() == location;
                    assertEquals(removed, index.remove(d.hi(), d.lo(), location), "remove at " + d);
                    if (removed) {
                        model.remove(d);
                    }
                }
                default -> {
                    assertEquals(m == null ? null : m.slot(), index.remove(d.hi(), d.lo()), "remove " + d);
                    model.remove(d);
                }
            }
            if (op % 20_000 == 0) {
                assertSameContents(model, index);
            }
        }
        assertSameContents(model, index);
        assertTrue(model.size() > 100, "the run ends with entries left: " + model.size());
    }

    private static void assertSameContents(Map<Digest, Modelled> model, CompactIndex index) {
        assertEquals(model.size(), index.size());
        Map<Digest, IndexSlot> seen = new HashMap<>();
        index.forEach((hi, lo, slot) -> assertNull(seen.put(new Digest(hi, lo), slot), "visited twice"));
        Map<Digest, IndexSlot> expected = new HashMap<>();
        model.forEach((d, m) -> expected.put(d, m.slot()));
        assertEquals(expected, seen);
        for (Map.Entry<Digest, Modelled> e : model.entrySet()) {
            Digest d = e.getKey();
            assertEquals(e.getValue().slot(), index.get(d.hi(), d.lo()));
            assertEquals(e.getValue().uses(), index.uses(d.hi(), d.lo()));
        }
    }

    @Test
    void aMillionEntriesCostAtMostSixtyFourBytesEach() {
        CompactIndex index = new CompactIndex();
        assertTrue(index.heapBytes() < 50_000, "an empty index holds " + index.heapBytes() + " bytes");

        int count = 1_000_000;
        SplittableRandom keys = new SplittableRandom(7);
        for (int i = 0; i < count; i++) {
            long hi = keys.nextLong();
            long lo = keys.nextLong();
            assertNull(index.put(hi, lo, derived(hi, lo)));
            if (i % 50_000 == 0 && i >= 50_000) {
                // Not only at one lucky size: the bound holds all the way up.
                double perEntry = (double) index.heapBytes() / index.size();
                assertTrue(perEntry <= 64, "bytes per entry at " + index.size() + ": " + perEntry);
            }
        }
        assertEquals(count, index.size());
        double perEntry = (double) index.heapBytes() / index.size();
        System.out.printf("CompactIndex: %d bytes per slot, %.1f bytes of arrays per entry at %d entries%n",
                CompactIndex.bytesPerSlot(), perEntry, count);
        assertTrue(perEntry <= 64, "bytes per entry: " + perEntry);

        keys = new SplittableRandom(7);
        for (int i = 0; i < count; i++) {
            long hi = keys.nextLong();
            long lo = keys.nextLong();
            assertEquals(derived(hi, lo), index.get(hi, lo));
        }
        index.clear();
        assertEquals(0, index.size());
        assertTrue(index.heapBytes() < 50_000, "a cleared index holds " + index.heapBytes() + " bytes");
    }

    @Test
    void forEachVisitsEachEntryOnceWhileTheVisitorRemoves() {
        CompactIndex index = new CompactIndex();
        Set<Digest> all = new HashSet<>();
        for (long i = 0; i < 10_000; i++) {
            Digest d = new Digest(i >>> 3, i << 61);
            all.add(d);
            index.put(d.hi(), d.lo(), derived(d.hi(), d.lo()));
        }
        Set<Digest> visited = new HashSet<>();
        Set<Digest> kept = new HashSet<>();
        index.forEach((hi, lo, slot) -> {
            Digest d = new Digest(hi, lo);
            assertTrue(visited.add(d), "visited twice: " + d);
            assertEquals(derived(hi, lo), slot);
            if ((hi + (lo >>> 61)) % 2 == 0) {
                assertEquals(slot, index.remove(hi, lo));
            } else {
                kept.add(d);
                assertEquals(slot, index.touch(hi, lo), "a touch returns what get would");
            }
        });
        assertEquals(all, visited);
        assertEquals(kept.size(), index.size());
        Set<Digest> left = new HashSet<>();
        index.forEach((hi, lo, slot) -> left.add(new Digest(hi, lo)));
        assertEquals(kept, left);
        for (Digest d : kept) {
            assertEquals(1, index.uses(d.hi(), d.lo()));
        }
    }

    /**
     * Writers put and remove entries whose fields all follow from their digest, and clear the
     * index now and then so stripes regrow, while readers check that every slot they get belongs
     * to the digest they asked for: a read torn between two entries, or across a resize, fails.
     */
    @Test
    @Timeout(120)
    void readersNeverSeeATornSlot() throws Exception {
        CompactIndex index = new CompactIndex();
        Digest[] digests = new Digest[4_000];
        for (int i = 0; i < digests.length; i++) {
            digests[i] = new Digest(i % 97, (long) i << 32);
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int seed = w;
                writers.add(threads.submit(() -> {
                    Random random = new Random(seed);
                    for (int op = 1; op <= 300_000; op++) {
                        Digest d = digests[random.nextInt(digests.length)];
                        if (op % 50_000 == 0) {
                            index.clear();
                        } else if (random.nextInt(3) == 0) {
                            index.remove(d.hi(), d.lo());
                        } else {
                            index.put(d.hi(), d.lo(), derived(d.hi(), d.lo()));
                        }
                    }
                    return 0L;
                }));
            }
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                int seed = 10 + r;
                readers.add(threads.submit(() -> {
                    Random random = new Random(seed);
                    long found = 0;
                    // Bounded by the writers, and at least some reads after they stop.
                    for (int op = 0; writing.get() || op < 100_000; op++) {
                        Digest d = digests[random.nextInt(digests.length)];
                        IndexSlot slot = index.get(d.hi(), d.lo());
                        if (slot != null) {
                            assertEquals(derived(d.hi(), d.lo()), slot, "slot read for " + d);
                            found++;
                        }
                        index.touch(d.hi(), d.lo());
                        int uses = index.uses(d.hi(), d.lo());
                        assertTrue(uses >= -1 && uses <= 3, "uses " + uses);
                    }
                    return found;
                }));
            }
            for (Future<Long> writer : writers) {
                writer.get();
            }
            writing.set(false);
            long found = 0;
            for (Future<Long> reader : readers) {
                found += reader.get();
            }
            assertTrue(found > 0, "the readers found entries");
        } finally {
            writing.set(false);
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(60, TimeUnit.SECONDS));
        }
        int[] visited = {0};
        index.forEach((hi, lo, slot) -> {
            assertEquals(derived(hi, lo), slot);
            visited[0]++;
        });
        assertEquals(index.size(), visited[0]);
    }

    @Test
    void touchRaisesUsesToThreeAndDecrementLowersThemToZero() {
        CompactIndex index = new CompactIndex();
        IndexSlot slot = new IndexSlot(42, 100, 7, (short) 1);
        assertEquals(-1, index.uses(1, 2));
        index.touch(1, 2);
        assertEquals(-1, index.uses(1, 2), "a touch does not create an entry");
        assertNull(index.get(1, 2));

        index.put(1, 2, slot);
        assertEquals(0, index.uses(1, 2));
        for (int i = 1; i <= 5; i++) {
            index.touch(1, 2);
            assertEquals(Math.min(i, 3), index.uses(1, 2));
        }
        assertEquals(-1, index.decrementUses(1, 2, 41), "wrong location");
        assertEquals(-1, index.decrementUses(2, 1, 42), "absent");
        assertEquals(3, index.uses(1, 2));
        assertEquals(3, index.decrementUses(1, 2, 42));
        assertEquals(2, index.decrementUses(1, 2, 42));
        assertEquals(1, index.uses(1, 2));

        IndexSlot moved = new IndexSlot(43, 100, 7, (short) 1);
        assertTrue(index.replace(1, 2, 42, moved));
        assertEquals(1, index.uses(1, 2), "replace keeps the count");
        assertEquals(1, index.decrementUses(1, 2, 43));
        assertEquals(0, index.decrementUses(1, 2, 43));
        assertEquals(0, index.decrementUses(1, 2, 43), "0 stays 0");
        assertEquals(0, index.uses(1, 2));

        index.touch(1, 2);
        index.touch(1, 2);
        assertEquals(moved, index.put(1, 2, slot));
        assertEquals(0, index.uses(1, 2), "put starts the count again");
        assertEquals(slot, index.get(1, 2));
    }

    @Test
    void aWrongExpectedLocationChangesNothing() {
        CompactIndex index = new CompactIndex();
        IndexSlot slot = new IndexSlot(42, 100, 7, (short) 1);
        IndexSlot other = new IndexSlot(43, 200, 8, (short) 2);
        index.put(0, 0, slot);
        index.touch(0, 0);

        assertFalse(index.replace(0, 0, 43, other));
        assertFalse(index.replace(0, 1, 42, other), "absent");
        assertFalse(index.remove(0, 0, 43));
        assertFalse(index.remove(1, 0, 42), "absent");
        assertEquals(slot, index.get(0, 0));
        assertEquals(1, index.uses(0, 0));
        assertEquals(1, index.size());
        assertNull(index.get(0, 1));

        assertTrue(index.replace(0, 0, 42, other));
        assertEquals(other, index.get(0, 0));
        assertTrue(index.remove(0, 0, 43));
        assertNull(index.get(0, 0));
        assertNull(index.remove(0, 0));
        assertEquals(0, index.size());
    }

    @Test
    void everyDigestIsAKeyZeroIncluded() {
        CompactIndex index = new CompactIndex();
        long[][] digests = {{0, 0}, {0, 1}, {1, 0}, {-1, -1}, {Long.MIN_VALUE, 0}, {0, Long.MIN_VALUE}};
        for (long[] d : digests) {
            assertNull(index.put(d[0], d[1], derived(d[0], d[1])));
        }
        assertEquals(digests.length, index.size());
        for (long[] d : digests) {
            assertEquals(derived(d[0], d[1]), index.get(d[0], d[1]));
        }
        assertEquals(derived(0, 0), index.remove(0, 0));
        assertNull(index.get(0, 0));
        assertEquals(derived(0, 1), index.get(0, 1));
    }
}
