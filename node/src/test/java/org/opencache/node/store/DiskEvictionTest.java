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

import org.junit.jupiter.api.Test;

/** {@code max_disk}: least recently used bodies go first; and the memory tier's bound. */
class DiskEvictionTest extends StoreTestBase {

    @Test
    void commitOverMaxDiskEvictsLeastRecentlyUsed() {
        open(1 << 20, 300, 0);
        put(store, key("a"), body(100, 1));
        put(store, key("b"), body(100, 2));
        put(store, key("c"), body(100, 3));
        store.lookup(key("a"));

        assertTrue(put(store, key("d"), body(100, 4)));
        assertTrue(store.lookup(key("b")).isEmpty(), "b was used least recently");
        for (String name : new String[] {"a", "c", "d"}) {
            assertTrue(store.lookup(key(name)).isPresent(), name);
        }
        assertEquals(300, store.diskBytes());
        assertEquals(3, bodyFiles(dir).size());

        // The loop above looked up a, c, d; with a and d again, c is the eldest, then a.
        store.lookup(key("a"));
        store.lookup(key("d"));
        put(store, key("e"), body(150, 5));
        assertTrue(store.lookup(key("c")).isEmpty());
        assertTrue(store.lookup(key("a")).isEmpty(), "150 more bytes need two bodies gone");
        assertArrayEquals(body(100, 4), read(store, key("d")));
        assertEquals(250, store.diskBytes());
    }

    @Test
    void evictingASeededBodyRemovesAllItsKeys() {
        open(1 << 20, 200, 0);
        put(store, key("seed"), body(100, 1));
        store.link(key("alias"), key("seed"));
        put(store, key("b"), body(100, 2));
        put(store, key("c"), body(100, 3));
        assertTrue(store.lookup(key("seed")).isEmpty());
        assertTrue(store.lookup(key("alias")).isEmpty());
        assertEquals(2, bodyFiles(dir).size());
        assertEquals(2, store.objectCount(StoreTesting.INSTANCE));
    }

    @Test
    void linkingCountsAsUse() {
        open(1 << 20, 200, 0);
        put(store, key("a"), body(100, 1));
        put(store, key("b"), body(100, 2));
        store.link(key("alias"), key("a"));
        put(store, key("c"), body(100, 3));
        assertTrue(store.lookup(key("b")).isEmpty());
        assertTrue(store.lookup(key("alias")).isPresent());
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
}
