package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.node.store.StoreTesting.INSTANCE;
import static org.opencache.node.store.StoreTesting.body;
import static org.opencache.node.store.StoreTesting.key;
import static org.opencache.node.store.StoreTesting.put;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code max_disk} bounds what {@code du} shows: every file the disk tier keeps (bodies and each
 * key's metadata) is charged the blocks it occupies, so many small objects do not take several
 * times the bound. Measured with du(1) itself, as an operator would.
 */
class DiskUseTest extends StoreTestBase {
    private static final long MAX_DISK = 4L << 20;

    @Test
    void threeThousandSmallObjectsStayWithinMaxDiskAsDuCountsIt() throws IOException {
        open(1 << 20, MAX_DISK, 0);
        for (int i = 0; i < 3000; i++) {
            put(store, key("small" + i), body(100, i));
        }
        Path objects = dir.resolve("objects");
        long total = du(objects);
        long directories = directoryBlocks(objects);
        long files = total - directories;
        System.out.printf("3000 objects of 100 B, max_disk %d: du -s -B1 %d (files %d, directories %d), "
                + "charged %d, %d objects kept%n", MAX_DISK, total, files, directories, store.diskBytes(),
                store.objectCount(INSTANCE));
        assertTrue(files <= MAX_DISK * 105 / 100, "files take " + files + " bytes");
        assertTrue(store.diskBytes() <= MAX_DISK, "charged " + store.diskBytes());
        assertEquals(store.diskBytes(), files, "the charge is what the files occupy");
        long blockSize = store.layout().blockSize();
        assertTrue(directories <= (4 + 2 * 256) * blockSize,
                "the directories take one block each (design §6): " + directories);
        assertTrue(store.objectCount(INSTANCE) >= MAX_DISK / (2 * blockSize) * 95 / 100,
                "the bound is used: " + store.objectCount(INSTANCE) + " objects");
    }

    @Test
    void theIndexRebuiltAtStartChargesTheSame() throws IOException {
        open(1 << 20, MAX_DISK, 0);
        for (int i = 0; i < 700; i++) {
            put(store, key("small" + i), body(100 + 50 * (i % 100), i));
        }
        store.link(key("alias1"), key("small699"));
        store.link(key("alias2"), key("small699"));
        long charged = store.diskBytes();
        long objects = store.objectCount(INSTANCE);
        long bytes = store.objectBytes(INSTANCE);
        store.close();

        open(1 << 20, MAX_DISK, 0);
        assertEquals(charged, store.diskBytes());
        assertEquals(objects, store.objectCount(INSTANCE));
        assertEquals(bytes, store.objectBytes(INSTANCE));
        Path root = dir.resolve("objects");
        assertEquals(charged, du(root) - directoryBlocks(root));
    }

    @Test
    void eachLinkIsChargedItsMetadataFileAndTheBodyOnce() {
        open(1 << 20, MAX_DISK, 0);
        put(store, key("target"), body(5000, 1));
        long block = store.layout().blockSize();
        assertEquals(2 * block + block, store.diskBytes(), "two blocks of body, one of metadata");
        store.link(key("alias"), key("target"));
        assertEquals(4 * block, store.diskBytes());
        assertEquals(5000, store.objectBytes(INSTANCE), "stored bytes stay body bytes, counted once");
        store.remove(key("target"));
        assertEquals(3 * block, store.diskBytes());
        store.remove(key("alias"));
        assertEquals(0, store.diskBytes());
    }

    @Test
    void metadataRewrittenLongerIsChargedItsNewBlocksAlsoAfterARestart() throws IOException {
        open(1 << 20, MAX_DISK, 0);
        put(store, key("a"), body(100, 1));
        long block = store.layout().blockSize();
        assertEquals(2 * block, store.diskBytes());
        ObjectMeta longer = new ObjectMeta(200, List.of(Map.entry("X-Long", "x".repeat((int) block))),
                StoreTesting.NOW.minusMillis(250), StoreTesting.NOW, StoreTesting.NOW.plusSeconds(3600), 100);
        assertTrue(store.updateMeta(key("a"), longer));
        assertEquals(3 * block, store.diskBytes(), "a block of body, two of metadata");
        Path root = dir.resolve("objects");
        assertEquals(store.diskBytes(), du(root) - directoryBlocks(root));
        store.close();

        open(1 << 20, MAX_DISK, 0);
        assertEquals(3 * block, store.diskBytes());
        assertTrue(store.updateMeta(key("a"), StoreTesting.meta(100)));
        assertEquals(2 * block, store.diskBytes());
    }

    /** Bytes allocated under {@code path}, by {@code du -s -B1}. */
    static long du(Path path) throws IOException {
        String out = run("du", "-s", "-B1", path.toString());
        return Long.parseLong(out.substring(0, out.indexOf('\t')));
    }

    /** Bytes allocated to the directories themselves under {@code path} (find's %b: 512-byte blocks). */
    static long directoryBlocks(Path path) throws IOException {
        long blocks = 0;
        for (String line : run("find", path.toString(), "-type", "d", "-printf", "%b\n").split("\n")) {
            blocks += Long.parseLong(line.trim());
        }
        return blocks * 512;
    }

    private static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }
}
