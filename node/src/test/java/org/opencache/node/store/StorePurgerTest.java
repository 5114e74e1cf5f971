package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.node.store.StoreTesting.CLOCK;
import static org.opencache.node.store.StoreTesting.NOW;
import static org.opencache.node.store.StoreTesting.body;
import static org.opencache.node.store.StoreTesting.key;
import static org.opencache.node.store.StoreTesting.meta;
import static org.opencache.node.store.StoreTesting.put;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** The periodic purge: runs with the clock's time, survives failures. */
class StorePurgerTest extends StoreTestBase {
    private final List<Instant> cutoffs = new CopyOnWriteArrayList<>();

    @Test
    void purgesExpiredObjectsEveryPeriod() throws Exception {
        open(1 << 20, 0, 0);
        put(store, key("stale"), meta(10, NOW.minusSeconds(1)), body(10, 1));
        put(store, key("fresh"), meta(10, NOW.plusSeconds(1)), body(10, 2));

        runUntilCalled(2, 0, store::purgeExpiredBefore);
        assertEquals(NOW, cutoffs.get(0));
        assertTrue(store.lookup(key("stale")).isEmpty());
        assertTrue(store.lookup(key("fresh")).isPresent());
    }

    @Test
    void aFailingPurgeDoesNotStopTheNextOnes() throws Exception {
        runUntilCalled(4, 2, cutoff -> 0);
    }

    @Test
    void periodMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> StorePurger.start(cutoff -> 0, Duration.ZERO, CLOCK));
    }

    /** Runs a purger every 5 ms until it has called {@code purge} {@code calls} times (within 5 s). */
    private void runUntilCalled(int calls, int failures, ToIntFunction<Instant> purge) throws InterruptedException {
        CountDownLatch called = new CountDownLatch(calls);
        int[] failuresLeft = {failures};
        StorePurger purger = StorePurger.start(cutoff -> {
            cutoffs.add(cutoff);
            called.countDown();
            if (failuresLeft[0]-- > 0) {
                throw new IllegalStateException("purge failure for the test");
            }
            return purge.applyAsInt(cutoff);
        }, Duration.ofMillis(5), CLOCK);
        try {
            assertTrue(called.await(5, TimeUnit.SECONDS), calls + " purges within 5 s");
        } finally {
            purger.close();
        }
    }
}
