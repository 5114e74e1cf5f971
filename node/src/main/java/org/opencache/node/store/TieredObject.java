package org.opencache.node.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A lookup result. A memory hit carries the body's array, so opening it touches neither the
 * disk nor the cache again; a disk hit opens through the store, which loads it into memory if it
 * fits there.
 */
final class TieredObject implements StoredObject {
    private final IndexEntry entry;
    private final byte[] bytes;
    private final TieredObjectStore store;

    /** @param bytes the body if it was in memory at lookup, else null */
    TieredObject(IndexEntry entry, byte[] bytes, TieredObjectStore store) {
        this.entry = entry;
        this.bytes = bytes;
        this.store = store;
    }

    @Override
    public ObjectMeta meta() {
        return entry.meta();
    }

    @Override
    public InputStream openBody() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : store.openBody(entry);
    }

    /** {@inheritDoc} A disk hit small enough for the memory tier is loaded into it first. */
    @Override
    public Optional<ByteBuffer> bodyInMemory() {
        byte[] body = bytes != null ? bytes : store.loadBody(entry);
        return body == null ? Optional.empty() : Optional.of(ByteBuffer.wrap(body).asReadOnlyBuffer());
    }

    /** {@inheritDoc} The file is kept open by the store, so this costs no system call once it is. */
    @Override
    public Optional<BodyFile> bodyFile() {
        return store.bodyFile(entry);
    }

    /** The index entry found (tests). */
    IndexEntry entry() {
        return entry;
    }

    /** Whether the body came from the memory tier (tests, metrics). */
    boolean fromMemory() {
        return bytes != null;
    }
}
