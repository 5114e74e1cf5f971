package org.opencache.node.store;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stored response found by a lookup: its metadata and a way to read its body. The body stays
 * readable even if the object is evicted or replaced while it is being sent.
 */
public interface StoredObject {

    /** The stored metadata. */
    ObjectMeta meta();

    /** Opens the body from the start; the caller closes the stream. */
    InputStream openBody() throws IOException;
}
