package org.opencache.node.store;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The writer for a response the store refused before its body arrived: it ignores the body,
 * commits nothing and says why.
 *
 * @param reason why nothing is stored
 */
record RefusedWriter(StoreRefusal reason) implements StoreWriter {

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

    @Override
    public Optional<StoreRefusal> refusal() {
        return Optional.of(reason);
    }
}
