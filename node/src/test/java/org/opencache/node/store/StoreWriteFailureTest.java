package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.node.store.StoreTesting.assertNoTempFiles;
import static org.opencache.node.store.StoreTesting.body;
import static org.opencache.node.store.StoreTesting.bodyFiles;
import static org.opencache.node.store.StoreTesting.key;
import static org.opencache.node.store.StoreTesting.meta;
import static org.opencache.node.store.StoreTesting.put;
import static org.opencache.node.store.StoreTesting.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk errors while storing: the writer gives up quietly (one WARN naming the file), nothing is
 * left behind, and storing works again once the problem is gone. Tests run as root, where
 * permissions do not stop writes, so the errors are made by putting files where directories
 * belong and by deleting directories mid-write.
 */
class StoreWriteFailureTest {
    @TempDir
    Path dir;
    private TieredObjectStore store;
    private LogCapture log;

    @BeforeEach
    void openStore() {
        store = StoreTesting.open(dir, 1 << 20, 0, 0);
        log = new LogCapture();
    }

    @AfterEach
    void closeStore() {
        log.close();
        store.close();
    }

    @Test
    void bodyDirectoryReplacedByAFile() throws IOException {
        Path bodies = store.layout().bodyDir();
        deleteTree(bodies);
        Files.writeString(bodies, "not a directory");

        assertFalse(put(store, key("a"), body(100, 1)));
        assertOneWarningNaming(bodies.toString());
        assertTrue(store.lookup(key("a")).isEmpty());
        assertNoTempFiles(dir);

        Files.delete(bodies);
        assertTrue(put(store, key("a"), body(100, 1)));
        assertArrayEquals(body(100, 1), read(store, key("a")));
    }

    @Test
    void metadataShardReplacedByAFile() throws IOException {
        put(store, key("kept"), body(10, 1));
        Path shard = store.layout().metaPath(key("a")).getParent();
        deleteTree(shard);
        Files.writeString(shard, "not a directory");

        assertFalse(put(store, key("a"), body(100, 2)));
        assertOneWarningNaming(shard.toString());
        assertTrue(store.lookup(key("a")).isEmpty());
        assertEquals(1, bodyFiles(dir).size(), "the new body is deleted again");
        assertNoTempFiles(dir);

        Files.delete(shard);
        assertTrue(put(store, key("a"), body(100, 2)));
        assertArrayEquals(body(100, 2), read(store, key("a")));
    }

    @Test
    void tempDirectoryDeletedMidWrite() throws IOException {
        put(store, key("a"), body(100, 1));
        StoreWriter writer = store.begin(key("a"), meta(200));
        writer.write(ByteBuffer.wrap(body(100, 2)));
        deleteTree(store.layout().tempDir());
        writer.write(ByteBuffer.wrap(body(100, 3)));

        assertFalse(writer.commit());
        assertOneWarningNaming(store.layout().tempDir().toString());
        assertArrayEquals(body(100, 1), read(store, key("a")), "the previous object is still served");

        assertTrue(put(store, key("a"), body(100, 4)), "the temp directory is created again");
        assertArrayEquals(body(100, 4), read(store, key("a")));
        assertNoTempFiles(dir);
    }

    @Test
    void noTempFileMeansNoWriter() throws IOException {
        Path temp = store.layout().tempDir();
        deleteTree(temp);
        Files.writeString(temp, "not a directory");

        StoreWriter writer = store.begin(key("a"), meta(100));
        writer.write(ByteBuffer.wrap(body(100, 1)));
        writer.write(ByteBuffer.wrap(body(100, 1)));
        assertFalse(writer.commit());
        writer.abort();
        assertOneWarningNaming(temp.toString());

        Files.delete(temp);
        assertTrue(put(store, key("a"), body(100, 1)));
    }

    private void assertOneWarningNaming(String path) {
        assertEquals(1, log.warnings().size(), String.join("\n", log.warnings()));
        assertTrue(log.warnings().get(0).contains(path), log.warnings().get(0));
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.notExists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
