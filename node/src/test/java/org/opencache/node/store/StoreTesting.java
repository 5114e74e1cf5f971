package org.opencache.node.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Shared fixtures for the store tests: keys, metadata, bodies, and file counts. */
final class StoreTesting {
    /** The fixed time of every test. */
    static final Instant NOW = Instant.parse("2025-01-01T10:00:00Z");
    /** A clock stopped at {@link #NOW}. */
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** The instance of {@link #key}. */
    static final String INSTANCE = "example.com";
    /** Body files a store keeps open unless a test says otherwise: as many as a node by default. */
    static final int OPEN_BODY_FILES = 256;

    private StoreTesting() {
    }

    /** A key of {@link #INSTANCE}. */
    static StoreKey key(String path) {
        return new StoreKey(INSTANCE, "GET http://example.com/" + path);
    }

    /** Metadata for a body of {@code length} bytes (-1: unknown) that expires in an hour. */
    static ObjectMeta meta(long length) {
        return meta(length, NOW.plusSeconds(3600));
    }

    /** Metadata for a body of {@code length} bytes that expires at {@code expires}. */
    static ObjectMeta meta(long length, Instant expires) {
        return new ObjectMeta(200,
                List.of(Map.entry("Content-Type", "text/plain"), Map.entry("ETag", "\"v1\""),
                        Map.entry("Set-Cookie", "a=1"), Map.entry("Set-Cookie", "b=2")),
                NOW.minusMillis(250), NOW, expires, length);
    }

    /** {@code size} bytes that differ from those of another {@code seed}. */
    static byte[] body(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + seed * 7);
        }
        return bytes;
    }

    /** Opens a store on {@code dir} with the fixed clock and {@link #OPEN_BODY_FILES}. */
    static TieredObjectStore open(Path dir, long maxCacheSize, long maxDisk, long maxItemSize) {
        return open(dir, maxCacheSize, maxDisk, maxItemSize, OPEN_BODY_FILES);
    }

    /** Opens a store on {@code dir} with the fixed clock. */
    static TieredObjectStore open(Path dir, long maxCacheSize, long maxDisk, long maxItemSize, int openBodyFiles) {
        try {
            return TieredObjectStore.open(dir, maxCacheSize, maxDisk, maxItemSize, openBodyFiles, CLOCK);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores {@code body} under {@code key} in chunks of 1000 bytes; the commit's result. */
    static boolean put(ObjectStore store, StoreKey key, byte[] body) {
        return put(store, key, meta(body.length), body);
    }

    /** Stores {@code body} under {@code key} with {@code meta}; the commit's result. */
    static boolean put(ObjectStore store, StoreKey key, ObjectMeta meta, byte[] body) {
        StoreWriter writer = store.begin(key, meta);
        for (int from = 0; from < body.length; from += 1000) {
            writer.write(ByteBuffer.wrap(body, from, Math.min(1000, body.length - from)));
        }
        return writer.commit();
    }

    /** Begins storing {@code key} with a {@code declared} length (-1: unknown), writes {@code chunks}. */
    static StoreWriter writing(ObjectStore store, StoreKey key, long declared, byte[]... chunks) {
        StoreWriter writer = store.begin(key, meta(declared));
        for (byte[] chunk : chunks) {
            writer.write(ByteBuffer.wrap(chunk));
        }
        return writer;
    }

    /** The body stored under {@code key}; fails if there is none. */
    static byte[] read(ObjectStore store, StoreKey key) {
        StoredObject object = store.lookup(key).orElseThrow(() -> new AssertionError("no object " + key));
        return readBody(object);
    }

    /** All bytes of a looked-up object's body. */
    static byte[] readBody(StoredObject object) {
        try (InputStream in = object.openBody()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the lookup of {@code key} is served from the memory tier. */
    static boolean inMemory(ObjectStore store, StoreKey key) {
        return ((TieredObject) store.lookup(key).orElseThrow()).fromMemory();
    }

    /** Regular files below {@code dir} whose names end with {@code suffix}. */
    static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(suffix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The large segments (one body each) of the store at {@code cachePath}. */
    static List<Path> bodyFiles(Path cachePath) {
        return files(cachePath.resolve("objects/segments"), SegmentLayout.LARGE_SUFFIX);
    }

    /** The shared segments of the store at {@code cachePath}. */
    static List<Path> sharedSegments(Path cachePath) {
        return files(cachePath.resolve("objects/segments"), SegmentLayout.SHARED_SUFFIX);
    }

    /** Bytes the store's segment files take on disk in whole 4 KiB blocks, as {@code du} counts them. */
    static long du(Path cachePath) {
        long bytes = 0;
        for (Path file : files(cachePath.resolve("objects/segments"), "")) {
            try {
                bytes += Segment.blocks(Files.size(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bytes;
    }

    /** Asserts that no temp file is left under {@code cachePath}. */
    static void assertNoTempFiles(Path cachePath) {
        assertTrue(files(cachePath.resolve("objects/tmp"), "").isEmpty(), "temp files left behind");
    }
}
