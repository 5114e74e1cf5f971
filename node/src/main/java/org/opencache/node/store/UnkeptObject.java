package org.opencache.node.store;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A complete response the store did not keep, held in memory for the requests that were waiting
 * for it ({@link StoreWriter#unkept()}); lookups never see it.
 *
 * @param meta the response's metadata, with its real body length
 * @param body the whole body; not modified after construction
 */
record UnkeptObject(ObjectMeta meta, byte[] body) implements StoredObject {
    @Override
    public InputStream openBody() {
        return new ByteArrayInputStream(body);
    }

    @Override
    public Optional<ByteBuffer> bodyInMemory() {
        return Optional.of(ByteBuffer.wrap(body).asReadOnlyBuffer());
    }
}
