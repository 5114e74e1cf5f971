package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.opencache.node.store.StoreTesting.body;
import static org.opencache.node.store.StoreTesting.bodyFiles;
import static org.opencache.node.store.StoreTesting.key;
import static org.opencache.node.store.StoreTesting.put;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Segment files kept open for sending large bodies: shared, counted, closed when the last user lets go. */
class BodyFileTest extends StoreTestBase {

    @Test
    void aStoredBodyIsOpenedOnceAndReadsAsStored() throws Exception {
        byte[] body = storeOne(7);

        BodyFile first = store.lookup(key("a")).orElseThrow().bodyFile().orElseThrow();
        BodyFile second = store.lookup(key("a")).orElseThrow().bodyFile().orElseThrow();
        assertSame(first.channel(), second.channel(), "one open file per body");
        assertEquals(body.length, first.length());
        assertArrayEquals(body, readAll(first));
        first.release();
        second.release();
        assertTrue(first.channel().isOpen(), "the store keeps it open for the next hit");
    }

    @Test
    void aDeletedBodyIsClosedWhenItsLastSendEnds() throws Exception {
        byte[] body = storeOne(8);
        BodyFile sending = store.lookup(key("a")).orElseThrow().bodyFile().orElseThrow();

        assertTrue(store.remove(key("a")));
        assertTrue(bodyFiles(dir).isEmpty(), "the file is unlinked at once");
        assertArrayEquals(body, readAll(sending), "a send in flight still reads the whole body");
        sending.release();
        assertFalse(sending.channel().isOpen());
    }

    @Test
    void aBodyWhoseFileIsGoneHasNoFileToSend() throws Exception {
        storeOne(9);
        StoredObject object = store.lookup(key("a")).orElseThrow();
        Files.delete(bodyFiles(dir).getFirst());

        assertTrue(object.bodyFile().isEmpty());
        assertTrue(object.bodyInMemory().isPresent(), "the memory copy still serves it");
    }

    @Test
    void closingTheStoreClosesFilesNotInUse() throws Exception {
        BodyFile file = storedFile();
        file.release();

        store.close();
        assertFalse(file.channel().isOpen());
        assertTrue(store.lookup(key("a")).isEmpty());
    }

    @Test
    void atMostOpenBodyFilesStayOpen() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "counts open files in /proc/self/fd (Linux)");
        int maxOpen = 20;
        open(1 << 20, 64 << 20, 0, maxOpen);
        int bodies = maxOpen + 44;
        for (int i = 0; i < bodies; i++) {
            put(store, key("b" + i), body(300_000, i));
            store.lookup(key("b" + i)).orElseThrow().bodyFile().orElseThrow().release();
        }
        assertEquals(bodies, bodyFiles(dir).size());
        assertTrue(openBodyFiles() <= maxOpen, openBodyFiles() + " body files open");
        store.close();
        assertEquals(0, openBodyFiles());
    }

    @Test
    void releasingMoreThanRetainedIsABug() throws Exception {
        BodyFile file = storedFile();
        file.release();
        store.close();
        assertFalse(file.channel().isOpen());
        assertThrows(IllegalStateException.class, file::release);
    }

    /** Opens a store holding one 100 000-byte body under key "a"; returns the body. */
    private byte[] storeOne(int seed) {
        open(1 << 20, 1 << 20, 0);
        byte[] body = body(100_000, seed);
        put(store, key("a"), body);
        return body;
    }

    /** A store with one 100 000-byte body, and its file with a reference taken. */
    private BodyFile storedFile() {
        storeOne(10);
        return store.lookup(key("a")).orElseThrow().bodyFile().orElseThrow();
    }

    /** Descriptors of this process open on segment files. */
    private static long openBodyFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.endsWith(SegmentLayout.LARGE_SUFFIX) || target.endsWith(SegmentLayout.SHARED_SUFFIX);
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    private static byte[] readAll(BodyFile file) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate((int) file.length());
        while (bytes.hasRemaining()) {
            if (file.channel().read(bytes, file.offset() + bytes.position()) < 0) {
                break;
            }
        }
        return bytes.array();
    }
}
