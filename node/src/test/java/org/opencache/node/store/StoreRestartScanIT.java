package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opencache.node.store.StoreTesting.body;
import static org.opencache.node.store.StoreTesting.key;
import static org.opencache.node.store.StoreTesting.put;
import static org.opencache.node.store.StoreTesting.read;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Rebuilding the index of 10 000 objects at start: everything comes back, and how fast. */
class StoreRestartScanIT {
    private static final Logger LOG = LoggerFactory.getLogger(StoreRestartScanIT.class);
    private static final int OBJECTS = 10_000;

    @TempDir
    Path dir;

    @Test
    void tenThousandObjectsComeBackAfterARestart() {
        try (TieredObjectStore store = StoreTesting.open(dir, 1 << 20, 0, 0)) {
            for (int i = 0; i < OBJECTS; i++) {
                put(store, key("object/" + i), body(1000 + i % 100, i));
            }
        }
        long started = System.nanoTime();
        try (TieredObjectStore store = StoreTesting.open(dir, 1 << 20, 0, 0)) {
            long millis = (System.nanoTime() - started) / 1_000_000;
            LOG.info("Reopened a store of {} objects in {} ms", OBJECTS, millis);
            assertEquals(OBJECTS, store.objectCount(StoreTesting.INSTANCE));
            for (int i = 0; i < OBJECTS; i += 997) {
                assertArrayEquals(body(1000 + i % 100, i), read(store, key("object/" + i)));
            }
        }
    }
}
