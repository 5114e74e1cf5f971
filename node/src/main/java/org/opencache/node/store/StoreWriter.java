package org.opencache.node.store;

import java.nio.ByteBuffer;

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
}
