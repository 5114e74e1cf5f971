package org.opencache.node.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A lookup result: the metadata, and the body if it is in memory (a memory hit, or a small disk
 * hit, whose record was read whole). A large body is read or sent from its segment file.
 */
final class TieredObject implements StoredObject {
    private final TieredObjectStore store;
    private final StoreDigest digest;
    private final IndexSlot slot;
    private final ObjectMeta meta;
    private final byte[] bytes;
    private final boolean fromMemory;

    /** @param bytes the body if it is in memory, else null */
    TieredObject(TieredObjectStore store, StoreDigest digest, IndexSlot slot, ObjectMeta meta, byte[] bytes,
            boolean fromMemory) {
        this.store = store;
        this.digest = digest;
        this.slot = slot;
        this.meta = meta;
        this.bytes = bytes;
        this.fromMemory = fromMemory;
    }

    @Override
    public ObjectMeta meta() {
        return meta;
    }

    @Override
    public InputStream openBody() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : store.openLarge(this, slot);
    }

    /** {@inheritDoc} A large disk hit small enough for the memory tier is loaded into it first. */
    @Override
    public Optional<ByteBuffer> bodyInMemory() {
        byte[] body = bytes != null ? bytes : store.loadLarge(digest, slot, meta);
        return body == null ? Optional.empty() : Optional.of(ByteBuffer.wrap(body).asReadOnlyBuffer());
    }

    /** {@inheritDoc} The segment file is kept open by the store, so this costs no system call once it is. */
    @Override
    public Optional<BodyFile> bodyFile() {
        return store.bodyFile(slot);
    }

    /** Whether the object came from the memory tier (tests, metrics). */
    boolean fromMemory() {
        return fromMemory;
    }
}
