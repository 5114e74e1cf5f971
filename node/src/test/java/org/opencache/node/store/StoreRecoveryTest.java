package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.node.store.StoreTesting.INSTANCE;
import static org.opencache.node.store.StoreTesting.NOW;
import static org.opencache.node.store.StoreTesting.assertNoTempFiles;
import static org.opencache.node.store.StoreTesting.body;
import static org.opencache.node.store.StoreTesting.bodyFiles;
import static org.opencache.node.store.StoreTesting.key;
import static org.opencache.node.store.StoreTesting.meta;
import static org.opencache.node.store.StoreTesting.put;
import static org.opencache.node.store.StoreTesting.read;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencache.testing.LogCapture;

/** The index survives a restart, and what a crash leaves behind is cleaned at the next start. */
class StoreRecoveryTest extends StoreTestBase {

    @Test
    void restartServesTheSameObjectsAndMeta() {
        open(1 << 20, 0, 0);
        ObjectMeta odd = new ObjectMeta(404, List.of(Map.entry("X-Ü", "wert ✓"), Map.entry("Vary", "")),
                null, NOW, Instant.MAX, 3);
        put(store, key("a"), body(5000, 1));
        put(store, key("odd"), odd, body(3, 2));
        put(store, key("empty"), new byte[0]);
        store.updateMeta(key("a"), meta(-1, NOW.plusSeconds(99)));
        store.close();

        open(1 << 20, 0, 0);
        assertArrayEquals(body(5000, 1), read(store, key("a")));
        assertEquals(meta(5000, NOW.plusSeconds(99)), store.lookup(key("a")).orElseThrow().meta());
        assertEquals(odd, store.lookup(key("odd")).orElseThrow().meta());
        assertArrayEquals(body(3, 2), read(store, key("odd")));
        assertArrayEquals(new byte[0], read(store, key("empty")));
        assertEquals(3, store.objectCount(INSTANCE));
        assertEquals(5003, store.objectBytes(INSTANCE));
    }

    @Test
    void startAfterACrashSkipsTornRecordsDeletesLeftoversAndServesTheRest() throws IOException {
        open(1 << 20, 1 << 20, 0);
        put(store, key("good"), body(100, 4));
        put(store, key("corrupt"), body(100, 7));
        put(store, key("large"), body(100_000, 5));
        put(store, key("truncated"), body(100_000, 9));
        put(store, key("after"), body(100, 5));
        Path truncated = segmentHolding(body(100_000, 9));
        SegmentLayout layout = store.layout();
        store.close();

        Path shared = StoreTesting.sharedSegments(dir).getFirst();
        byte[] bytes = Files.readAllBytes(shared);
        bytes[indexOf(bytes, body(100, 7)) + 10] ^= 1;
        Files.write(shared, bytes);
        Files.write(shared, new byte[] {'O', 'C', 'R', '1', 0, 0, 0}, StandardOpenOption.APPEND);
        try (FileChannel channel = FileChannel.open(truncated, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 1000);
        }
        Files.writeString(layout.tempDir().resolve("w123.tmp"), "half a body");
        Path stray = layout.segmentDir().resolve("leftover.seg.tmp");
        Files.writeString(stray, "x");

        try (LogCapture log = new LogCapture("org.opencache.node.store")) {
            open(1 << 20, 1 << 20, 0);
            assertEquals(4, log.warnings().size(), String.join("\n", log.warnings()));
            assertTrue(log.warnings().stream().anyMatch(w -> w.contains(shared.toString()) && w.contains("Skipped")));
            assertTrue(log.warnings().stream().anyMatch(w -> w.contains(truncated.toString())));
        }
        assertArrayEquals(body(100, 4), read(store, key("good")));
        assertArrayEquals(body(100, 5), read(store, key("after")), "the scan goes on past a damaged record");
        assertArrayEquals(body(100_000, 5), read(store, key("large")));
        assertTrue(store.lookup(key("corrupt")).isEmpty());
        assertTrue(store.lookup(key("truncated")).isEmpty());
        assertTrue(Files.notExists(truncated));
        assertTrue(Files.notExists(stray));
        assertNoTempFiles(dir);
        assertEquals(3, store.objectCount(INSTANCE));
        assertEquals(100_200, store.objectBytes(INSTANCE));
    }

    @Test
    void filesOfTheOlderFormatAreDeletedWithOneWarningEach() throws IOException {
        Path meta = dir.resolve("objects/meta/3f/3fa9.json");
        Path body = dir.resolve("objects/bodies/c0/c04d.body");
        Files.createDirectories(meta.getParent());
        Files.createDirectories(body.getParent());
        Files.writeString(meta, "{}");
        Files.writeString(body, "x");

        try (LogCapture log = new LogCapture("org.opencache.node.store")) {
            open(1 << 20, 0, 0);
            assertEquals(2, log.warnings().size(), String.join("\n", log.warnings()));
        }
        assertTrue(Files.notExists(dir.resolve("objects/meta")));
        assertTrue(Files.notExists(dir.resolve("objects/bodies")));
        assertTrue(put(store, key("a"), body(10, 1)));
    }

    @Test
    void aRemovedObjectStaysRemovedAfterARestart() {
        open(1 << 20, 0, 0);
        put(store, key("a"), body(100, 1));
        put(store, key("b"), body(300_000, 2));
        put(store, key("c"), body(100, 3));
        assertTrue(store.remove(key("a")));
        assertTrue(store.remove(key("b")));
        store.close();

        open(1 << 20, 0, 0);
        assertTrue(store.lookup(key("a")).isEmpty());
        assertTrue(store.lookup(key("b")).isEmpty());
        assertArrayEquals(body(100, 3), read(store, key("c")));
        assertEquals(1, store.objectCount(INSTANCE));
        assertTrue(bodyFiles(dir).isEmpty(), "a large body nothing serves is deleted at once");
    }

    @Test
    void theNewestRecordOfAKeyWinsAfterARestart() {
        open(1 << 20, 0, 0);
        put(store, key("a"), body(100, 1));
        put(store, key("a"), body(300_000, 2));
        put(store, key("b"), body(300_000, 3));
        put(store, key("b"), body(100, 4));
        store.close();

        open(1 << 20, 0, 0);
        assertArrayEquals(body(300_000, 2), read(store, key("a")));
        assertArrayEquals(body(100, 4), read(store, key("b")));
        assertEquals(2, store.objectCount(INSTANCE));
        assertEquals(1, bodyFiles(dir).size());
    }

    @Test
    void secondStoreOnTheSameDirectoryIsRefused() throws IOException {
        open(1 << 20, 0, 0);
        IOException refused = assertThrows(IOException.class,
                () -> TieredObjectStore.open(dir, 0, 0, 0, StoreTesting.OPEN_BODY_FILES, StoreTesting.CLOCK));
        assertTrue(refused.getMessage().contains("in use"), refused.getMessage());
        store.close();
        store = TieredObjectStore.open(dir, 0, 0, 0, StoreTesting.OPEN_BODY_FILES, StoreTesting.CLOCK);
    }

    @Test
    void restartWithSmallerMaxDiskEvictsTheOldestWrites() throws IOException {
        try (TieredObjectStore first = TieredObjectStore.open(dir, 0, 0, 0, StoreTesting.OPEN_BODY_FILES, StoreTesting.CLOCK)) {
            put(first, key("older"), body(100, 1));
        }
        Clock later = Clock.offset(StoreTesting.CLOCK, Duration.ofSeconds(1));
        try (TieredObjectStore second = TieredObjectStore.open(dir, 0, 0, 0, StoreTesting.OPEN_BODY_FILES, later)) {
            put(second, key("newer"), body(100, 2));
        }
        assertEquals(2, StoreTesting.sharedSegments(dir).size(), "each store appends to a segment of its own");

        open(1 << 20, 6000, 0);
        assertTrue(store.lookup(key("older")).isEmpty());
        assertArrayEquals(body(100, 2), read(store, key("newer")));
        assertEquals(4096, store.diskBytes(), "one block");
        assertEquals(1, StoreTesting.sharedSegments(dir).size());
    }

    /** The large segment whose body is {@code body}. */
    private Path segmentHolding(byte[] body) throws IOException {
        for (Path file : bodyFiles(dir)) {
            if (indexOf(Files.readAllBytes(file), body) >= 0) {
                return file;
            }
        }
        throw new AssertionError("no segment holds the body");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
