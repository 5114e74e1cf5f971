package org.opencache.node.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test with a store on a fresh directory, closed after each test. */
abstract class StoreTestBase {
    /** The store's {@code cache_path}. */
    @TempDir
    Path dir;
    /** The store under test, set by {@link #open}. */
    TieredObjectStore store;

    /** Opens (or, after {@code store.close()}, reopens) {@link #store} on {@link #dir}. */
    TieredObjectStore open(long maxCacheSize, long maxDisk, long maxItemSize) {
        return open(maxCacheSize, maxDisk, maxItemSize, StoreTesting.OPEN_BODY_FILES);
    }

    /** Opens {@link #store} keeping at most {@code openBodyFiles} body files open. */
    TieredObjectStore open(long maxCacheSize, long maxDisk, long maxItemSize, int openBodyFiles) {
        store = StoreTesting.open(dir, maxCacheSize, maxDisk, maxItemSize, openBodyFiles);
        return store;
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }
}
