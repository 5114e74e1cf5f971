package org.opencache.node.http.fill;

import org.opencache.node.store.StoredObject;

/**
 * How a fill ended, for the requests collapsed onto it.
 *
 * @param stored whether the store now holds a usable object for the key
 * @param unkept when the store did not keep a complete, storable response (its eviction policy
 *               refused it, or the disk failed), that response from memory, so that the followers
 *               are served it instead of each asking the origin; null otherwise
 */
record Landing(boolean stored, StoredObject unkept) {
    /** The object is in the store. */
    static final Landing STORED = new Landing(true, null);
    /** Nothing for the followers: not storable, or the origin failed. */
    static final Landing NOT_STORED = new Landing(false, null);

    static Landing of(boolean stored) {
        return stored ? STORED : NOT_STORED;
    }

    /** Not stored, but here is the complete response for the followers. */
    static Landing unkept(StoredObject response) {
        return new Landing(false, response);
    }
}
