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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void startAfterACrashDeletesLeftoversAndServesTheRest() throws IOException {
        open(1 << 20, 0, 0);
        for (String name : new String[] {"good", "corrupt", "truncated", "missing"}) {
            put(store, key(name), body(100, name.length()));
        }
        DiskLayout layout = store.layout();
        Path truncatedBody = bodyOf(key("truncated"));
        Path missingBody = bodyOf(key("missing"));
        store.close();

        Files.writeString(layout.tempDir().resolve("w123.tmp"), "half a body");
        Files.writeString(layout.metaPath(key("corrupt")), "{\"version\":1,\"instance\":", StandardCharsets.UTF_8);
        Files.write(truncatedBody, body(50, 1));
        Files.delete(missingBody);
        Path orphan = layout.bodyPath("00112233445566778899aabbccddeeff");
        Files.createDirectories(orphan.getParent());
        Files.write(orphan, body(10, 1));
        Path stray = layout.metaDir().resolve("ab").resolve("leftover.json.tmp");
        Files.createDirectories(stray.getParent());
        Files.writeString(stray, "x");

        try (LogCapture log = new LogCapture("org.opencache.node.store")) {
            open(1 << 20, 0, 0);
            assertEquals(6, log.warnings().size(), String.join("\n", log.warnings()));
            assertTrue(log.warnings().stream().anyMatch(w -> w.contains(layout.metaPath(key("corrupt")).toString())));
        }
        assertArrayEquals(body(100, 4), read(store, key("good")));
        for (String name : new String[] {"corrupt", "truncated", "missing"}) {
            assertTrue(store.lookup(key(name)).isEmpty(), name);
            assertTrue(Files.notExists(layout.metaPath(key(name))), name);
        }
        assertEquals(1, bodyFiles(dir).size(), "only the good body is left");
        assertTrue(Files.notExists(stray));
        assertNoTempFiles(dir);
        assertEquals(1, store.objectCount(INSTANCE));
        assertEquals(100, store.diskBytes());
    }

    @Test
    void metadataForAnotherKeysFileIsDeleted() throws IOException {
        open(1 << 20, 0, 0);
        put(store, key("a"), body(10, 1));
        DiskLayout layout = store.layout();
        store.close();
        Path misplaced = layout.metaPath(key("b"));
        Files.createDirectories(misplaced.getParent());
        Files.copy(layout.metaPath(key("a")), misplaced);

        open(1 << 20, 0, 0);
        assertTrue(Files.notExists(misplaced));
        assertTrue(store.lookup(key("b")).isEmpty());
        assertArrayEquals(body(10, 1), read(store, key("a")));
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

        open(1 << 20, 150, 0);
        assertTrue(store.lookup(key("older")).isEmpty());
        assertArrayEquals(body(100, 2), read(store, key("newer")));
        assertEquals(100, store.diskBytes());
        assertEquals(1, bodyFiles(dir).size());
    }

    private Path bodyOf(StoreKey key) {
        return store.layout().bodyPath(((TieredObject) store.lookup(key).orElseThrow()).entry().body().id());
    }
}
