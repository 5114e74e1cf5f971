package org.opencache.node.store;

/**
 * What the in-memory index keeps for one key: its metadata and its body. Immutable, so a lookup
 * that read an entry keeps a consistent pair while a commit replaces it.
 *
 * @param metaLength the length of the key's metadata file, charged against {@code max_disk}
 */
record IndexEntry(StoreKey key, ObjectMeta meta, Body body, long metaLength) {

    /** The entry with the length of the metadata file written for it. */
    IndexEntry withMetaLength(long length) {
        return new IndexEntry(key, meta, body, length);
    }
}
