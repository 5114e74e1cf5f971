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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code max_disk}: the disk tier's W-TinyLFU keeps what is asked for often, never holds more
 * than its bound, and evicts a body with all its keys; and the memory tier's bound.
 */
class DiskEvictionTest extends StoreTestBase {

    @Test
    void anObjectAskedForOftenSurvivesARunOfObjectsAskedForLess() {
        open(1 << 20, 1000, 0);
        fill(10);
        for (int i = 0; i < 6; i++) {
            request("hot", 1);
        }
        // Thirty objects asked for twice each, three times what fits: an LRU would have dropped "hot" after ten.
        for (int i = 0; i < 30; i++) {
            request("scan" + i, 10 + i);
            request("scan" + i, 10 + i);
            assertTrue(store.diskBytes() <= 1000, "disk holds " + store.diskBytes());
        }
        assertArrayEquals(body(100, 1), read(store, key("hot")));
        assertEquals(store.diskBytes(), bodyFileBytes());
    }

    @Test
    void usesThroughAnAliasCountForTheSharedBody() {
        open(1 << 20, 1000, 0);
        fill(10);
        put(store, key("seed"), body(100, 1));
        store.link(key("alias"), key("seed"));
        for (int i = 0; i < 10; i++) {
            assertTrue(store.lookup(key("alias")).isPresent());
        }
        for (int i = 0; i < 30; i++) {
            for (int j = 0; j < 3; j++) {
                request("scan" + i, 10 + i);
            }
        }
        assertArrayEquals(body(100, 1), read(store, key("seed")));
        assertArrayEquals(body(100, 1), read(store, key("alias")));
    }

    @Test
    void evictingASeededBodyRemovesAllItsKeys() {
        open(1 << 20, 300, 0);
        put(store, key("seed"), body(100, 1));
        store.link(key("alias"), key("seed"));
        fill(3);
        int added = 0;
        while (store.lookup(key("seed")).isPresent() && added < 50) {
            // Each newcomer is asked for more often than the seed, so it is admitted over it sooner or later.
            for (int i = 0; i < 5; i++) {
                request("popular" + added, 10 + added);
            }
            added++;
        }
        assertTrue(store.lookup(key("seed")).isEmpty(), "the seeded body was never evicted");
        assertTrue(store.lookup(key("alias")).isEmpty(), "its alias goes with it");
        assertTrue(store.diskBytes() <= 300);
        assertEquals(store.diskBytes(), bodyFileBytes());
        assertEquals(bodyFiles(dir).size(), store.objectCount(StoreTesting.INSTANCE));
    }

    @Test
    void aNewcomerThePolicyDoesNotAdmitIsNotStoredAndCostsNothing() {
        open(1 << 20, 300, 0);
        fill(3);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 5; j++) {
                request("filler" + i, 100 + i);
            }
        }
        assertFalse(put(store, key("newcomer"), body(100, 9)), "asked for once, it loses to objects asked for often");
        assertTrue(store.lookup(key("newcomer")).isEmpty());
        for (int i = 0; i < 3; i++) {
            assertTrue(store.lookup(key("filler" + i)).isPresent());
        }
        assertEquals(3, bodyFiles(dir).size());
        assertEquals(300, bodyFileBytes());
    }

    @Test
    void noMixOfWritesLinksRemovalsAndLookupsTakesTheDiskOverItsBound() {
        open(1 << 20, 2000, 0);
        Random random = new Random(42);
        for (int step = 0; step < 3000; step++) {
            StoreKey some = key("k" + random.nextInt(60));
            switch (random.nextInt(6)) {
                case 0, 1 -> put(store, some, body(1 + random.nextInt(300), step));
                case 2 -> store.link(some, key("k" + random.nextInt(60)));
                case 3 -> store.remove(some);
                default -> store.lookup(some);
            }
            assertTrue(store.diskBytes() <= 2000, "step " + step + ": disk holds " + store.diskBytes());
        }
        assertEquals(store.diskBytes(), bodyFileBytes(), "the index counts exactly the body files there are");
        for (int i = 0; i < 60; i++) {
            StoreKey some = key("k" + i);
            if (store.lookup(some).isPresent()) {
                assertEquals(store.lookup(some).orElseThrow().meta().bodyLength(), read(store, some).length);
            }
        }
    }

    @Test
    void objectLargerThanMaxDiskIsRefused() {
        open(1 << 20, 300, 0);
        put(store, key("a"), body(100, 1));
        assertFalse(put(store, key("big"), body(301, 2)));
        assertTrue(store.lookup(key("a")).isPresent(), "a refused object evicts nothing");
        assertTrue(put(store, key("fits"), body(300, 3)));
        assertTrue(store.lookup(key("a")).isEmpty());
        assertEquals(300, store.diskBytes());
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
        assertEquals(6000, store.diskBytes());
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

    // The policy counts uses only once the disk is half full (Caffeine sizes its sketch then): start full.
    private void fill(int objects) {
        for (int i = 0; i < objects; i++) {
            put(store, key("filler" + i), body(100, 100 + i));
        }
    }

    private long bodyFileBytes() {
        long bytes = 0;
        for (Path file : bodyFiles(dir)) {
            try {
                bytes += Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bytes;
    }
}
