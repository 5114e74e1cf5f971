package org.opencache.node.store;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Receives the body of a response while it streams from the origin to the client. Nothing is
 * visible to lookups until {@link #commit()}; a write error never reaches the caller as an
 * exception: the writer turns itself into a no-op (logging once) and {@link #commit()} returns
 * false, so the client's response carries on. A writer is used by one thread at a time.
 */
public interface StoreWriter {

    /** Appends bytes of the body (the buffer's remaining bytes; its position is not changed). */
    void write(ByteBuffer bytes);

    /** Makes the object visible; false if it was not stored (write error, over a size limit). */
    boolean commit();

    /** Discards what was written (the origin response failed midway). */
    void abort();

    /**
     * After a {@link #commit()} that returned false although the whole body had been written
     * (the store's eviction policy did not admit it, or the disk failed), that response from
     * memory, when it was small enough to keep there: requests collapsed onto this one can be
     * served it instead of each asking the origin again. Empty otherwise.
     */
    default Optional<StoredObject> unkept() {
        return Optional.empty();
    }

    /**
     * Why nothing is or will be stored: from {@link ObjectStore#begin} when the store refused
     * the response before its body (its declared length over {@code max_item_size}, a full store
     * that would not admit it, a file system found full), or after a {@link #commit()} that
     * returned false (or a write that gave up). Empty while the body may still be stored, and
     * after a commit that stored it.
     */
    default Optional<StoreRefusal> refusal() {
        return Optional.empty();
    }
}
