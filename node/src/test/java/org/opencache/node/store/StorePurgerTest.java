package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.node.store.StoreTesting.NOW;
import static org.opencache.node.store.StoreTesting.body;
import static org.opencache.node.store.StoreTesting.key;
import static org.opencache.node.store.StoreTesting.meta;
import static org.opencache.node.store.StoreTesting.put;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The periodic purge: runs with the clock's time, survives failures, stops on close. */
class StorePurgerTest {
    @TempDir
    Path dir;

    @Test
    void purgesExpiredObjectsEveryPeriod() throws Exception {
        try (TieredObjectStore store = StoreTesting.open(dir, 1 << 20, 0, 0)) {
            put(store, key("stale"), meta(10, NOW.minusSeconds(1)), body(10, 1));
            put(store, key("fresh"), meta(10, NOW.plusSeconds(1)), body(10, 2));
            PurgeRecorder recorder = new PurgeRecorder(store, 0, 2);
            StorePurger purger = StorePurger.start(recorder, Duration.ofMillis(10), StoreTesting.CLOCK);
            try {
                assertTrue(recorder.calls.await(5, TimeUnit.SECONDS), "two purges within 5 s");
            } finally {
                purger.close();
            }
            assertEquals(NOW, recorder.cutoffs.get(0));
            assertTrue(store.lookup(key("stale")).isEmpty());
            assertTrue(store.lookup(key("fresh")).isPresent());
        }
    }

    @Test
    void aFailingPurgeDoesNotStopTheNextOnes() throws Exception {
        try (TieredObjectStore store = StoreTesting.open(dir, 1 << 20, 0, 0)) {
            PurgeRecorder recorder = new PurgeRecorder(store, 2, 4);
            StorePurger purger = StorePurger.start(recorder, Duration.ofMillis(5), StoreTesting.CLOCK);
            try {
                assertTrue(recorder.calls.await(5, TimeUnit.SECONDS), "four purges within 5 s");
            } finally {
                purger.close();
            }
        }
    }

    @Test
    void periodMustBePositive() {
        assertThrows(IllegalArgumentException.class,
                () -> StorePurger.start(new PurgeRecorder(null, 0, 0), Duration.ZERO, StoreTesting.CLOCK));
    }

    /** Records purge calls, failing the first few, and passes them on to a real store. */
    private static final class PurgeRecorder implements ObjectStore {
        final List<Instant> cutoffs = new CopyOnWriteArrayList<>();
        final CountDownLatch calls;
        private final ObjectStore store;
        private int failuresLeft;

        PurgeRecorder(ObjectStore store, int failures, int expectedCalls) {
            this.store = store;
            this.failuresLeft = failures;
            this.calls = new CountDownLatch(expectedCalls);
        }

        @Override
        public int purgeExpiredBefore(Instant cutoff) {
            cutoffs.add(cutoff);
            calls.countDown();
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new IllegalStateException("purge failure for the test");
            }
            return store.purgeExpiredBefore(cutoff);
        }

        @Override
        public Optional<StoredObject> lookup(StoreKey key) {
            return store.lookup(key);
        }

        @Override
        public StoreWriter begin(StoreKey key, ObjectMeta meta) {
            return store.begin(key, meta);
        }

        @Override
        public boolean updateMeta(StoreKey key, ObjectMeta meta) {
            return store.updateMeta(key, meta);
        }

        @Override
        public boolean remove(StoreKey key) {
            return store.remove(key);
        }

        @Override
        public void link(StoreKey alias, StoreKey target) {
            store.link(alias, target);
        }

        @Override
        public void removeInstance(String instance) {
            store.removeInstance(instance);
        }

        @Override
        public long objectCount(String instance) {
            return store.objectCount(instance);
        }

        @Override
        public long objectBytes(String instance) {
            return store.objectBytes(instance);
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
