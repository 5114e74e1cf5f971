package org.opencache.node.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Bodies kept in the heap, keyed by body id (so linked keys share one copy), bounded by
 * {@code max_cache_size} in bytes. The arrays are never changed after they are put, so a reader
 * keeps a consistent body however the cache changes meanwhile.
 *
 * <p>Caffeine evicts by weight (the array length) with its W-TinyLFU policy. Its maintenance
 * runs on the calling thread ({@code executor(Runnable::run)}): no pool threads, and the bound
 * holds as soon as a put returns, at the price of a little work on some writes.
 *
 * <p>{@code max_cache_size = 0} means "no configured bound", but a heap cache without a bound
 * would take the node down with an {@link OutOfMemoryError}; it is read as a quarter of the
 * maximum heap instead, which is operator-visible through {@code -Xmx}.
 */
final class MemoryTier {
    /** Largest body kept in memory when {@code max_item_size} is 0 (no limit). */
    static final long UNLIMITED_ITEM_CAP = 64L << 20;

    private final Cache<String, byte[]> cache;
    private final long maxWeight;
    private final long itemLimit;

    /** A memory tier for the configured bounds (bytes; 0 = no limit). */
    MemoryTier(long maxCacheSize, long maxItemSize) {
        this.maxWeight = maxCacheSize > 0 ? maxCacheSize : Runtime.getRuntime().maxMemory() / 4;
        long itemCap = maxItemSize > 0 ? maxItemSize : UNLIMITED_ITEM_CAP;
        // A body larger than the whole tier would only evict everything and then itself.
        this.itemLimit = Math.min(Math.min(itemCap, maxWeight), Integer.MAX_VALUE - 8);
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxWeight)
                .weigher((String id, byte[] bytes) -> bytes.length)
                .executor(Runnable::run)
                .build();
    }

    /** Whether a body of {@code length} bytes is kept in memory at all. */
    boolean admits(long length) {
        return length <= itemLimit;
    }

    /** The largest body kept in memory. */
    long itemLimit() {
        return itemLimit;
    }

    /** The body's bytes if they are in memory, else null. Lock-free, allocation-free. */
    byte[] get(Body body) {
        return cache.getIfPresent(body.id());
    }

    /** Keeps a just-written body; the caller no longer changes {@code bytes}. */
    void put(Body body, byte[] bytes) {
        if (admits(bytes.length)) {
            cache.put(body.id(), bytes);
        }
    }

    /**
     * Opens a body: from memory if it is there, else from disk, loading it into memory on the
     * way if it fits. Concurrent opens of one body read the file once.
     */
    InputStream open(Body body) throws IOException {
        if (!admits(body.length())) {
            return Files.newInputStream(body.path());
        }
        return new ByteArrayInputStream(load(body));
    }

    /**
     * The body's bytes, read from disk into memory if they are not there yet; only for bodies
     * this tier {@link #admits}. Concurrent loads of one body read the file once.
     */
    byte[] load(Body body) throws IOException {
        try {
            return cache.get(body.id(), id -> readAll(body));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Drops a deleted body. */
    void invalidate(Body body) {
        cache.invalidate(body.id());
    }

    /** Drops everything. */
    void clear() {
        cache.invalidateAll();
    }

    /** Bytes held now. */
    long weight() {
        return cache.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    /** The bound in bytes. */
    long maxWeight() {
        return maxWeight;
    }

    /** Runs pending evictions now (tests, and before reading {@link #weight()} exactly). */
    void cleanUp() {
        cache.cleanUp();
    }

    private static byte[] readAll(Body body) {
        try {
            byte[] bytes = Files.readAllBytes(body.path());
            if (bytes.length != body.length()) {
                throw new IOException(body.path() + " has " + bytes.length + " bytes, expected " + body.length());
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
