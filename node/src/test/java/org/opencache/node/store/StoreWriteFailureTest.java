package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.node.store.StoreTesting.assertNoTempFiles;
import static org.opencache.node.store.StoreTesting.body;
import static org.opencache.node.store.StoreTesting.key;
import static org.opencache.node.store.StoreTesting.meta;
import static org.opencache.node.store.StoreTesting.put;
import static org.opencache.node.store.StoreTesting.read;
import static org.opencache.node.store.StoreTesting.writing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencache.testing.LogCapture;

/**
 * Disk errors while storing: the writer gives up quietly (one WARN naming the file), nothing is
 * left behind, and storing works again once the problem is gone. Tests run as root, where
 * permissions do not stop writes, so the errors are made by putting files where directories
 * belong and by deleting directories mid-write.
 */
class StoreWriteFailureTest extends StoreTestBase {
    private LogCapture log;

    @BeforeEach
    void openStore() {
        open(1 << 20, 0, 0);
        log = new LogCapture("org.opencache.node.store");
    }

    @AfterEach
    void stopCapture() {
        log.close();
    }

    @Test
    void segmentDirectoryReplacedByAFile() throws IOException {
        assertStoringFailsUntilRepaired(store.layout().segmentDir(), 100);
    }

    @Test
    void segmentDirectoryReplacedByAFileRefusesALargeBody() throws IOException {
        put(store, key("kept"), body(10, 1));
        assertStoringFailsUntilRepaired(store.layout().segmentDir(), 300_000);
        assertArrayEquals(body(10, 1), read(store, key("kept")));
    }

    @Test
    void tempDirectoryDeletedMidWrite() throws IOException {
        put(store, key("a"), body(100, 1));
        StoreWriter writer = writing(store, key("a"), 300_000, body(150_000, 2));
        deleteTree(store.layout().tempDir());
        writer.write(ByteBuffer.wrap(body(150_000, 3)));

        assertFalse(writer.commit());
        assertOneWarningNaming(store.layout().tempDir().toString());
        assertArrayEquals(body(100, 1), read(store, key("a")), "the previous object is still served");

        assertTrue(put(store, key("a"), body(300_000, 4)), "the temp directory is created again");
        assertArrayEquals(body(300_000, 4), read(store, key("a")));
        assertNoTempFiles(dir);
    }

    @Test
    void aCompleteBodyTheDiskCannotKeepIsHandedBackFromMemory() throws IOException {
        replaceWithFile(store.layout().segmentDir());
        StoreWriter writer = writing(store, key("a"), -1, body(100, 1), body(50, 2));

        assertFalse(writer.commit());
        StoredObject unkept = writer.unkept().orElseThrow();
        byte[] expected = new byte[150];
        System.arraycopy(body(100, 1), 0, expected, 0, 100);
        System.arraycopy(body(50, 2), 0, expected, 100, 50);
        assertArrayEquals(expected, unkept.openBody().readAllBytes());
        assertEquals(150, unkept.meta().bodyLength(), "the real length, not the declared -1");
        assertEquals(meta(-1).headers(), unkept.meta().headers());
        assertTrue(store.lookup(key("a")).isEmpty(), "nothing is stored");
        assertNoTempFiles(dir);
    }

    @Test
    void anIncompleteBodyIsNotHandedBack() throws IOException {
        StoreWriter writer = writing(store, key("a"), 200, body(100, 1));

        assertFalse(writer.commit());
        assertTrue(writer.unkept().isEmpty());
    }

    @Test
    void noTempFileMeansNoWriter() throws IOException {
        Path temp = store.layout().tempDir();
        replaceWithFile(temp);

        StoreWriter writer = writing(store, key("a"), 300_000, body(150_000, 1), body(150_000, 1));
        assertFalse(writer.commit());
        writer.abort();
        assertOneWarningNaming(temp.toString());

        Files.delete(temp);
        assertTrue(put(store, key("a"), body(300_000, 1)));
    }

    /**
     * With a file where {@code directory} belongs, storing fails cleanly: one WARN naming it, no
     * object, no body or temp file left. Once the file is gone, storing works again.
     */
    private void assertStoringFailsUntilRepaired(Path directory, int size) throws IOException {
        replaceWithFile(directory);

        assertFalse(put(store, key("a"), body(size, 2)));
        assertOneWarningNaming(directory.toString());
        assertTrue(store.lookup(key("a")).isEmpty());
        assertNoTempFiles(dir);

        Files.delete(directory);
        assertTrue(put(store, key("a"), body(size, 2)));
        assertArrayEquals(body(size, 2), read(store, key("a")));
    }

    private void assertOneWarningNaming(String path) {
        assertEquals(1, log.warnings().size(), String.join("\n", log.warnings()));
        assertTrue(log.warnings().get(0).contains(path), log.warnings().get(0));
    }

    /** Puts a regular file where a directory belongs. */
    private static void replaceWithFile(Path directory) throws IOException {
        deleteTree(directory);
        Files.writeString(directory, "not a directory");
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
