package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.node.store.StoreTesting.NOW;
import static org.opencache.node.store.StoreTesting.assertNoTempFiles;
import static org.opencache.node.store.StoreTesting.body;
import static org.opencache.node.store.StoreTesting.bodyFiles;
import static org.opencache.node.store.StoreTesting.inMemory;
import static org.opencache.node.store.StoreTesting.key;
import static org.opencache.node.store.StoreTesting.meta;
import static org.opencache.node.store.StoreTesting.put;
import static org.opencache.node.store.StoreTesting.read;
import static org.opencache.node.store.StoreTesting.writing;
import static org.opencache.node.store.StoreTesting.readBody;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Storing, looking up, replacing and removing objects, and the size limits on writes. */
class TieredObjectStoreTest extends StoreTestBase {

    @Test
    void storedObjectIsServedWithExactBodyAndMeta() {
        open(1 << 20, 0, 0);
        byte[] body = body(5000, 1);
        assertTrue(put(store, key("a"), body));

        StoredObject object = store.lookup(key("a")).orElseThrow();
        assertEquals(meta(5000), object.meta());
        assertArrayEquals(body, readBody(object));
        assertTrue(store.lookup(key("b")).isEmpty());
        assertEquals(1, StoreTesting.sharedSegments(dir).size(), "a small object takes no file of its own");
        assertEquals(0, bodyFiles(dir).size());
        assertNoTempFiles(dir);
    }

    @Test
    void memoryHitNeedsNoDiskAndDiskHitRefillsMemory() throws Exception {
        open(1 << 20, 0, 0);
        byte[] body = body(3000, 2);
        put(store, key("a"), body);
        Path file = StoreTesting.sharedSegments(dir).get(0);
        byte[] onDisk = Files.readAllBytes(file);

        // The commit put the body in memory: it is served even with its file gone.
        Files.delete(file);
        assertTrue(inMemory(store, key("a")));
        assertArrayEquals(body, read(store, key("a")));

        Files.write(file, onDisk);
        store.memory().clear();
        StoredObject fromDisk = store.lookup(key("a")).orElseThrow();
        assertFalse(((TieredObject) fromDisk).fromMemory());
        assertArrayEquals(body, readBody(fromDisk));
        assertTrue(inMemory(store, key("a")), "a disk hit loads the body into memory");
    }

    @Test
    void aDiskHitIsHandedOverInMemoryWhenItFitsThere() {
        open(2000, 0, 0);
        put(store, key("small"), body(1500, 1));
        put(store, key("big"), body(2500, 2));
        store.memory().clear();

        StoredObject small = store.lookup(key("small")).orElseThrow();
        assertFalse(((TieredObject) small).fromMemory());
        ByteBuffer inMemory = small.bodyInMemory().orElseThrow();
        byte[] bytes = new byte[inMemory.remaining()];
        inMemory.get(bytes);
        assertArrayEquals(body(1500, 1), bytes);
        assertTrue(inMemory(store, key("small")), "loaded into the memory tier on the way");

        assertArrayEquals(body(2500, 2), readBody(store.lookup(key("big")).orElseThrow()));
        assertFalse(inMemory(store, key("big")), "a body over max_cache_size is not kept in memory");
    }

    @Test
    void bodyEvictedFromTinyMemoryIsServedFromDisk() {
        open(1000, 0, 0);
        for (int i = 0; i < 5; i++) {
            put(store, key("k" + i), body(600, i));
        }
        store.memory().cleanUp();
        assertTrue(store.memoryBytes() <= 1000, "memory holds " + store.memoryBytes());
        int fromDisk = 0;
        for (int i = 0; i < 5; i++) {
            StoredObject object = store.lookup(key("k" + i)).orElseThrow();
            fromDisk += ((TieredObject) object).fromMemory() ? 0 : 1;
            assertArrayEquals(body(600, i), readBody(object));
        }
        assertTrue(fromDisk >= 4, "at most one 600-byte body fits in 1000 bytes");
    }

    @Test
    void bodyLargerThanMemoryIsNeverKeptInMemory() {
        open(1000, 0, 0);
        put(store, key("big"), body(1500, 3));
        assertFalse(inMemory(store, key("big")));
        assertArrayEquals(body(1500, 3), read(store, key("big")));
        assertFalse(inMemory(store, key("big")));
        assertEquals(0, store.memoryBytes());
    }

    @Test
    void replaceServesNewBodyWhileOldReadersFinish() throws Exception {
        open(10, 0, 0); // nothing fits in memory: readers stream files
        byte[] first = body(400_000, 1);
        byte[] second = body(300_000, 2);
        put(store, key("a"), first);
        StoredObject old = store.lookup(key("a")).orElseThrow();
        try (InputStream in = old.openBody()) {
            byte[] head = in.readNBytes(100);
            assertTrue(put(store, key("a"), second));
            byte[] rest = in.readAllBytes();
            byte[] whole = new byte[head.length + rest.length];
            System.arraycopy(head, 0, whole, 0, head.length);
            System.arraycopy(rest, 0, whole, head.length, rest.length);
            assertArrayEquals(first, whole);
        }
        assertArrayEquals(second, read(store, key("a")));
        assertEquals(300_000, store.lookup(key("a")).orElseThrow().meta().bodyLength());
        assertEquals(1, bodyFiles(dir).size(), "the replaced body is deleted");
        assertEquals(Segment.blocks(Files.size(bodyFiles(dir).get(0))), store.diskBytes());
    }

    @Test
    void memoryReaderKeepsOldBodyAcrossReplace() {
        open(1 << 20, 0, 0);
        put(store, key("a"), body(100, 1));
        StoredObject old = store.lookup(key("a")).orElseThrow();
        put(store, key("a"), body(100, 2));
        assertArrayEquals(body(100, 1), readBody(old));
        assertArrayEquals(body(100, 2), read(store, key("a")));
    }

    @Test
    void removeDeletesObjectAndFiles() {
        open(1 << 20, 0, 0);
        put(store, key("a"), body(300_000, 1));
        put(store, key("b"), body(300_000, 2));
        put(store, key("c"), body(100, 3));

        assertTrue(store.remove(key("a")));
        assertTrue(store.remove(key("c")));
        assertTrue(store.lookup(key("a")).isEmpty());
        assertTrue(store.lookup(key("c")).isEmpty());
        assertFalse(store.remove(key("a")));
        assertEquals(1, bodyFiles(dir).size(), "a large body goes with its last key");
        assertArrayEquals(body(300_000, 2), read(store, key("b")));
        assertEquals(1, store.objectCount(StoreTesting.INSTANCE));
    }

    @Test
    void writeLeavesTheCallersBufferAlone() {
        open(1 << 20, 0, 0);
        byte[] bytes = body(50, 4);
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 10, 30);
        StoreWriter writer = store.begin(key("a"), meta(30));
        writer.write(buffer);
        assertEquals(10, buffer.position());
        assertEquals(40, buffer.limit());
        assertTrue(writer.commit());
        assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 10, 40), read(store, key("a")));
    }

    @Test
    void directBuffersAreStoredToo() {
        open(1 << 20, 0, 0);
        ByteBuffer direct = ByteBuffer.allocateDirect(64).put(body(64, 5)).flip();
        StoreWriter writer = store.begin(key("a"), meta(-1));
        writer.write(direct);
        assertEquals(0, direct.position());
        assertTrue(writer.commit());
        assertArrayEquals(body(64, 5), read(store, key("a")));
    }

    @Test
    void knownLengthOverMaxItemSizeIsRefused() {
        open(1 << 20, 0, 100);
        StoreWriter writer = writing(store, key("a"), 101, body(101, 1));
        assertFalse(writer.commit());
        assertTrue(store.lookup(key("a")).isEmpty());
        assertTrue(put(store, key("b"), body(100, 1)), "exactly max_item_size is stored");
        assertNoTempFiles(dir);
    }

    @Test
    void unknownLengthGrowingOverMaxItemSizeIsAborted() {
        open(1 << 20, 0, 100);
        StoreWriter writer = writing(store, key("a"), -1, body(60, 1), body(60, 2));
        assertNoTempFiles(dir);
        assertFalse(writer.commit());
        assertTrue(store.lookup(key("a")).isEmpty());
        assertTrue(bodyFiles(dir).isEmpty());
    }

    @Test
    void unknownLengthIsRecordedAsTheRealLength() {
        open(1 << 20, 0, 100);
        StoreWriter writer = writing(store, key("a"), -1, body(60, 1), body(40, 2));
        assertTrue(writer.commit());
        assertEquals(100, store.lookup(key("a")).orElseThrow().meta().bodyLength());
    }

    @Test
    void bodyShorterOrLongerThanDeclaredIsNotStored() {
        open(1 << 20, 0, 0);
        StoreWriter shorter = writing(store, key("a"), 100, body(99, 1));
        assertFalse(shorter.commit());
        StoreWriter longer = writing(store, key("a"), 100, body(101, 1));
        assertFalse(longer.commit());
        assertTrue(store.lookup(key("a")).isEmpty());
        assertNoTempFiles(dir);
    }

    @Test
    void abortDiscardsAndKeepsThePreviousObject() {
        open(1 << 20, 0, 0);
        put(store, key("a"), body(10, 1));
        StoreWriter writer = writing(store, key("a"), 10, body(5, 2));
        writer.abort();
        assertFalse(writer.commit());
        assertArrayEquals(body(10, 1), read(store, key("a")));
        assertNoTempFiles(dir);
    }

    @Test
    void updateMetaKeepsBodyAndLength() {
        open(1 << 20, 0, 0);
        put(store, key("a"), body(10, 1));
        ObjectMeta revalidated = new ObjectMeta(200, List.of(Map.entry("ETag", "\"v2\"")), NOW,
                NOW.plusSeconds(1), NOW.plusSeconds(7200), -1);

        assertTrue(store.updateMeta(key("a"), revalidated));
        ObjectMeta stored = store.lookup(key("a")).orElseThrow().meta();
        assertEquals("\"v2\"", stored.header("etag"));
        assertEquals(NOW.plusSeconds(7200), stored.expires());
        assertEquals(10, stored.bodyLength());
        assertArrayEquals(body(10, 1), read(store, key("a")));
        assertFalse(store.updateMeta(key("absent"), revalidated));
    }

    @Test
    void purgeRemovesOnlyExpiredObjects() {
        open(1 << 20, 0, 0);
        put(store, key("old"), meta(10, NOW.minusSeconds(1)), body(10, 1));
        put(store, key("now"), meta(10, NOW), body(10, 2));
        put(store, key("fresh"), meta(10, NOW.plusSeconds(60)), body(10, 3));

        assertEquals(1, store.purgeExpiredBefore(NOW));
        assertTrue(store.lookup(key("old")).isEmpty());
        assertTrue(store.lookup(key("now")).isPresent());
        assertTrue(store.lookup(key("fresh")).isPresent());
        assertEquals(2, store.objectCount(StoreTesting.INSTANCE));
        assertEquals(0, store.purgeExpiredBefore(NOW));
    }

    @Test
    void removeInstanceRemovesOnlyThatInstance() {
        open(1 << 20, 0, 0);
        StoreKey other = new StoreKey("other.org", "GET http://other.org/x");
        put(store, key("a"), body(10, 1));
        put(store, key("b"), body(20, 2));
        store.link(key("c"), key("a"));
        put(store, other, body(30, 3));
        assertEquals(2, store.objectCount(StoreTesting.INSTANCE));
        assertEquals(30, store.objectBytes(StoreTesting.INSTANCE));

        store.removeInstance(StoreTesting.INSTANCE);
        assertEquals(0, store.objectCount(StoreTesting.INSTANCE));
        assertEquals(0, store.objectBytes(StoreTesting.INSTANCE));
        assertTrue(store.lookup(key("c")).isEmpty());
        assertEquals(1, store.objectCount("other.org"));
        assertEquals(30, store.objectBytes("other.org"));
        assertEquals(0, bodyFiles(dir).size(), "the linked body's segment is deleted");
    }

    @Test
    void closedStoreServesAndStoresNothing() {
        open(1 << 20, 0, 0);
        put(store, key("a"), body(10, 1));
        store.close();
        assertTrue(store.lookup(key("a")).isEmpty());
        assertFalse(put(store, key("b"), body(10, 2)));
        store.close();
    }
}
