package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.node.store.StoreTesting.OPEN_BODY_FILES;
import static org.opencache.node.store.StoreTesting.assertNoTempFiles;
import static org.opencache.node.store.StoreTesting.body;
import static org.opencache.node.store.StoreTesting.key;
import static org.opencache.node.store.StoreTesting.put;
import static org.opencache.node.store.StoreTesting.read;
import static org.opencache.node.store.StoreTesting.writing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.testing.LogCapture;
import org.opencache.testing.MutableClock;

/**
 * A file system that fills up before {@code max_disk} does (issue 17 item 13), on a real tmpfs of
 * 1 MiB: the store reclaims its oldest segments and tries again before it refuses, and the
 * refusals a full disk still causes give one WARN line a minute with their count, not one line
 * per URL.
 */
class DiskFullTest {
    private static final long FILE_SYSTEM = 1 << 20;
    /** Larger than the file system: its bound is never what stops a write here. */
    private static final long MAX_DISK = 8 << 20;

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(StoreTesting.NOW);

    private TieredObjectStore open() throws Exception {
        return TieredObjectStore.open(dir, 1 << 20, MAX_DISK, 0, OPEN_BODY_FILES, clock);
    }

    @Test
    void aFullFileSystemIsReclaimedBeforeAStoreIsRefused() throws Exception {
        try (TinyFilesystem fs = TinyFilesystem.mount(dir, FILE_SYSTEM);
                LogCapture log = new LogCapture("org.opencache.node.store");
                TieredObjectStore store = open()) {
            // Objects asked for once, until one is refused: 1 KiB each, more than the file system holds.
            int stored = 0;
            Optional<StoreRefusal> refusal = Optional.empty();
            while (refusal.isEmpty() && stored < 5000) {
                StoreKey key = key("/once" + stored);
                store.lookup(key);
                StoreWriter writer = writing(store, key, 1000, body(1000, stored));
                if (writer.commit()) {
                    stored++;
                } else {
                    refusal = writer.refusal();
                }
            }
            assertTrue(store.keys() < stored, "the oldest were evicted to make room");
            assertEquals(Optional.of(StoreRefusal.NOT_ADMITTED), refusal,
                    "a newcomer asked for no more often than what it would evict is refused, as at max_disk");

            // Asked for more often than what is evicted: the store makes room for it, small or large.
            StoreKey popular = key("/popular");
            StoreKey large = key("/large");
            for (int i = 0; i < 3; i++) {
                store.lookup(popular);
                store.lookup(large);
            }
            assertTrue(put(store, popular, body(1000, 1)), "an inline record after reclaiming");
            assertTrue(put(store, large, body(300_000, 2)), "a large body's temp file after reclaiming");
            assertArrayEquals(body(1000, 1), read(store, popular));
            assertArrayEquals(body(300_000, 2), read(store, large));
            assertTrue(store.diskBytes() <= Files.getFileStore(fs.root()).getTotalSpace(), store.diskBytes() + " bytes");
            assertEquals(List.of(), log.warnings(), "reclaiming is not a warning");
            assertNoTempFiles(dir);
        }
    }

    @Test
    void aDiskFullOfOtherFilesGivesOneWarningAMinuteWithTheCount() throws Exception {
        try (TinyFilesystem fs = TinyFilesystem.mount(dir, FILE_SYSTEM);
                LogCapture log = new LogCapture("org.opencache.node.store");
                TieredObjectStore store = open()) {
            Path ballast = fs.fillLeaving(8192);
            for (int i = 0; i < 100; i++) {
                StoreKey key = key("/refused" + i);
                store.lookup(key);
                StoreWriter writer = writing(store, key, 20_000, body(20_000, i));
                assertFalse(writer.commit());
                assertEquals(Optional.of(StoreRefusal.DISK_FULL), writer.refusal(), "store " + i);
            }
            List<String> first = log.warnings();
            assertEquals(1, first.size(), String.join("\n", first));
            assertTrue(first.get(0).contains("No space left on device") && first.get(0).contains(dir.toString()),
                    first.get(0));
            assertFalse(first.get(0).contains("/refused"), "no URL: " + first.get(0));

            clock.advance(Duration.ofMinutes(1));
            StoreKey next = key("/refused-later");
            store.lookup(next);
            assertFalse(put(store, next, body(20_000, 1)));
            List<String> lines = log.warnings();
            assertEquals(2, lines.size(), String.join("\n", lines));
            assertTrue(lines.get(1).contains("99 stores refused"), lines.get(1));

            Files.delete(ballast);
            store.lookup(next);
            assertTrue(put(store, next, body(20_000, 1)), "stores again once there is room");
            assertArrayEquals(body(20_000, 1), read(store, next));
            assertNoTempFiles(dir);
        }
    }
}
