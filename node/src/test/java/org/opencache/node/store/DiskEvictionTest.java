package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.node.store.StoreTesting.body;
import static org.opencache.node.store.StoreTesting.bodyFiles;
import static org.opencache.node.store.StoreTesting.key;
import static org.opencache.node.store.StoreTesting.put;
import static org.opencache.node.store.StoreTesting.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code max_disk}: the disk tier's CLOCK over segments with TinyLFU admission keeps what is
 * asked for often, never takes more disk than its bound (counted as {@code du} does), and evicts
 * a body with all its keys; and the memory tier's bound. A store bound to a few KiB has 4 KiB
 * segments, each holding about ten of these tests' 100-byte objects.
 */
class DiskEvictionTest extends StoreTestBase {
    /** Ten segments: about a hundred small objects. */
    private static final long TEN_SEGMENTS = 10 * 4096;

    @Test
    void anObjectAskedForOftenSurvivesARunOfObjectsAskedForLess() {
        open(1 << 20, TEN_SEGMENTS, 0);
        fill(100);
        for (int i = 0; i < 6; i++) {
            request("hot", 1);
        }
        // Three hundred objects asked for twice each, three times what fits: an LRU would have dropped "hot".
        for (int i = 0; i < 300; i++) {
            request("scan" + i, 10 + i);
            request("scan" + i, 10 + i);
            assertTrue(store.diskBytes() <= TEN_SEGMENTS, "disk holds " + store.diskBytes());
        }
        assertArrayEquals(body(100, 1), read(store, key("hot")));
        assertEquals(store.diskBytes(), StoreTesting.du(dir));
    }

    @Test
    void aHitObjectCopiedForwardStaysInMemory() {
        open(1 << 20, TEN_SEGMENTS, 0);
        request("hot", 1);
        request("hot", 1); // a hit: copied forward, not evicted, when its segment is reclaimed
        java.nio.file.Path first = StoreTesting.sharedSegments(dir).getFirst();
        for (int i = 0; i < 150; i++) { // one and a half times what fits
            request("k" + i, 10 + i);
        }
        assertTrue(java.nio.file.Files.notExists(first), "the first segment was reclaimed");
        assertTrue(StoreTesting.inMemory(store, key("hot")), "the moved record's memory copy still serves it");
        assertArrayEquals(body(100, 1), read(store, key("hot")));
    }

    @Test
    void usesThroughAnAliasCountForTheSharedBody() {
        open(1 << 20, TEN_SEGMENTS, 0);
        fill(100);
        request("seed", 1);
        store.link(key("alias"), key("seed"));
        for (int i = 0; i < 10; i++) {
            assertTrue(store.lookup(key("alias")).isPresent());
        }
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < 3; j++) {
                request("scan" + i, 10 + i);
            }
            if (i % 50 == 0) {
                store.lookup(key("alias"));
            }
        }
        assertArrayEquals(body(100, 1), read(store, key("seed")));
        assertArrayEquals(body(100, 1), read(store, key("alias")));
    }

    @Test
    void evictingASeededBodyRemovesAllItsKeys() {
        open(1 << 20, TEN_SEGMENTS, 0);
        put(store, key("seed"), body(100, 1));
        store.link(key("alias"), key("seed"));
        fill(100);
        // Newcomers asked for five times each, the seed never (a lookup would count as a use):
        // three times what fits, so every segment is reclaimed at least once.
        for (int added = 0; added < 300; added++) {
            for (int i = 0; i < 5; i++) {
                request("popular" + added, 10 + added);
            }
        }
        assertTrue(store.lookup(key("seed")).isEmpty(), "the seeded body was never evicted");
        assertTrue(store.lookup(key("alias")).isEmpty(), "its alias goes with it");
        assertTrue(store.diskBytes() <= TEN_SEGMENTS);
        assertEquals(store.diskBytes(), StoreTesting.du(dir));
        assertEquals(0, bodyFiles(dir).size());
    }

    @Test
    void aNewcomerThePolicyDoesNotAdmitIsNotStoredAndCostsNothing() {
        open(1 << 20, 4 * 4096, 0);
        fill(60);
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            if (store.lookup(key("filler" + i)).isPresent()) {
                kept.add("filler" + i);
                for (int j = 0; j < 5; j++) {
                    store.lookup(key("filler" + i));
                }
            }
        }
        long disk = store.diskBytes();
        assertEquals(4 * 4096, disk, "the store is full");

        assertFalse(put(store, key("newcomer"), body(100, 9)), "asked for once, it loses to objects asked for often");
        assertTrue(store.lookup(key("newcomer")).isEmpty());
        for (String name : kept) {
            assertTrue(store.lookup(key(name)).isPresent(), name);
        }
        assertEquals(disk, store.diskBytes());
        assertEquals(disk, StoreTesting.du(dir));
    }

    @Test
    void noMixOfWritesLinksRemovalsAndLookupsTakesTheDiskOverItsBound() {
        open(1 << 20, 8 * 4096, 0);
        Random random = new Random(42);
        for (int step = 0; step < 3000; step++) {
            StoreKey some = key("k" + random.nextInt(60));
            switch (random.nextInt(6)) {
                case 0, 1 -> put(store, some, body(1 + random.nextInt(3000), step));
                case 2 -> store.link(some, key("k" + random.nextInt(60)));
                case 3 -> store.remove(some);
                default -> store.lookup(some);
            }
            assertTrue(store.diskBytes() <= 8 * 4096, "step " + step + ": disk holds " + store.diskBytes());
        }
        assertEquals(store.diskBytes(), StoreTesting.du(dir), "the store counts exactly the blocks its files take");
        for (int i = 0; i < 60; i++) {
            StoreKey some = key("k" + i);
            if (store.lookup(some).isPresent()) {
                assertEquals(store.lookup(some).orElseThrow().meta().bodyLength(), read(store, some).length);
            }
        }
    }

    @Test
    void objectLargerThanMaxDiskIsRefused() {
        open(1 << 20, 4 * 4096, 0);
        put(store, key("a"), body(100, 1));
        assertFalse(put(store, key("big"), body(20_000, 2)));
        assertTrue(store.lookup(key("a")).isPresent(), "a refused object evicts nothing");
        assertTrue(store.lookup(key("fits")).isEmpty(), "asked for (once) before it is stored, as by a miss");
        assertTrue(put(store, key("fits"), body(13_000, 3)));
        assertTrue(store.lookup(key("a")).isEmpty());
        assertEquals(4 * 4096, store.diskBytes());
    }

    @Test
    void anIndexAtItsBudgetEvictsLikeAFullDisk() throws Exception {
        store = TieredObjectStore.open(dir, 1 << 20, 0, 0, StoreTesting.OPEN_BODY_FILES, StoreTesting.CLOCK, 640);
        for (int i = 0; i < 5000; i++) {
            request("k" + i, i);
            assertTrue(store.keys() <= 640, "object " + i + ": the index holds " + store.keys() + " keys");
        }
        assertTrue(store.keys() >= 500, "most of the budget is used: " + store.keys());
        assertArrayEquals(body(100, 4999), read(store, key("k4999")), "the newest object is stored");
        assertEquals(store.keys(), store.objectCount(StoreTesting.INSTANCE));
    }

    @Test
    void memoryTierStaysWithinMaxCacheSize() {
        open(1000, 0, 0);
        for (int i = 0; i < 20; i++) {
            put(store, key("k" + i), body(300, i));
            store.lookup(key("k" + (i / 2)));
        }
        store.memory().cleanUp();
        assertTrue(store.memoryBytes() <= 1000, "memory holds " + store.memoryBytes());
        assertTrue(store.memoryBytes() >= 300, "memory holds " + store.memoryBytes());
        assertEquals(StoreTesting.du(dir), store.diskBytes());
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(body(300, i), read(store, key("k" + i)));
        }
    }

    @Test
    void unlimitedMemoryIsBoundedByTheHeap() {
        open(0, 0, 0);
        assertEquals(Runtime.getRuntime().maxMemory() / 4, store.memory().maxWeight());
        assertEquals(Math.min(MemoryTier.UNLIMITED_ITEM_CAP, Runtime.getRuntime().maxMemory() / 4),
                store.memory().itemLimit());
    }

    // What the cache does for a GET: a hit, or a miss that stores the object (100 bytes).
    private void request(String name, int seed) {
        if (store.lookup(key(name)).isEmpty()) {
            put(store, key(name), body(100, seed));
        }
    }

    // Objects stored without being asked for: the first ones reclaiming evicts.
    private void fill(int objects) {
        for (int i = 0; i < objects; i++) {
            put(store, key("filler" + i), body(100, 100 + i));
        }
    }
}
