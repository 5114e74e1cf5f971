package org.opencache.node.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A stored response found by a lookup: its metadata and a way to read its body. The body stays
 * readable even if the object is evicted or replaced while it is being sent.
 */
public interface StoredObject {

    /** The stored metadata. */
    ObjectMeta meta();

    /**
     * Opens the body from the start; the caller closes the stream. Once open, the stream reads
     * the whole body whatever happens to the object. If the object was removed or replaced
     * between the lookup and this call, it throws {@link java.nio.file.NoSuchFileException}:
     * treat that as a miss.
     */
    InputStream openBody() throws IOException;

    /**
     * The whole body as a read-only buffer when it is already in memory, so a hit can be written
     * in one call without copying; empty when it must be read with {@link #openBody()}.
     */
    default Optional<ByteBuffer> bodyInMemory() {
        return Optional.empty();
    }

    /**
     * The body's file, open, with a reference the caller must {@link BodyFile#release release},
     * so that the body can be sent from it with {@code sendfile(2)}; empty when the body has no
     * file or it cannot be opened now.
     */
    default Optional<BodyFile> bodyFile() {
        return Optional.empty();
    }
}
