package org.opencache.node.store;

import java.nio.ByteBuffer;

/** The writer for a response that will not be stored: it ignores the body and commits nothing. */
enum RefusedWriter implements StoreWriter {
    /** The one instance; it has no state. */
    INSTANCE;

    @Override
    public void write(ByteBuffer bytes) {
        // Nothing is kept.
    }

    @Override
    public boolean commit() {
        return false;
    }

    @Override
    public void abort() {
        // Nothing to discard.
    }
}
