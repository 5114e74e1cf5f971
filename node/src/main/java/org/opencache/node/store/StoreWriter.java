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
}
