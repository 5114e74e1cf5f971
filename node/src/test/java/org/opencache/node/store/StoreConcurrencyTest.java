package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.node.store.StoreTesting.assertNoTempFiles;
import static org.opencache.node.store.StoreTesting.key;
import static org.opencache.node.store.StoreTesting.put;
import static org.opencache.node.store.StoreTesting.readBody;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eight threads writing and reading one key: every read is one complete written body. */
class StoreConcurrencyTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 60;

    @TempDir
    Path dir;

    @Test
    void concurrentWritersAndReadersOnOneKey() throws Exception {
        // Memory holds about two bodies, so reads come from both tiers.
        try (TieredObjectStore store = StoreTesting.open(dir, 40_000, 0, 0)) {
            AtomicInteger reads = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int writer = t;
                results.add(pool.submit(() -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        assertTrue(put(store, key("hot"), bodyOf(writer)));
                        readOnce(store, reads);
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertTrue(reads.get() > THREADS * ROUNDS / 2, "most reads succeed: " + reads.get());

            byte[] last = readBody(store.lookup(key("hot")).orElseThrow());
            assertArrayEquals(bodyOf(last[0]), last);
            assertEquals(StoreTesting.du(dir), store.diskBytes());
            assertEquals(last.length, store.objectBytes(StoreTesting.INSTANCE));
            assertEquals(1, store.objectCount(StoreTesting.INSTANCE));
            assertNoTempFiles(dir);
        }
    }

    /** Thread {@code t}'s body: {@code 10 000 + 997 t} bytes, all of value {@code t}. */
    private static byte[] bodyOf(int t) {
        byte[] body = new byte[10_000 + 997 * t];
        java.util.Arrays.fill(body, (byte) t);
        return body;
    }

    /**
     * Reads the key once and checks the body is whole. A body replaced between lookup and
     * openBody is gone (a miss, as documented); one replaced after openBody must still read whole.
     */
    private static void readOnce(ObjectStore store, AtomicInteger reads) throws IOException {
        Optional<StoredObject> found = store.lookup(key("hot"));
        if (found.isEmpty()) {
            return;
        }
        byte[] body;
        try (InputStream in = found.get().openBody()) {
            body = in.readAllBytes();
        } catch (NoSuchFileException e) {
            return;
        }
        assertArrayEquals(bodyOf(body[0]), body);
        assertEquals(body.length, found.get().meta().bodyLength());
        reads.incrementAndGet();
    }
}
