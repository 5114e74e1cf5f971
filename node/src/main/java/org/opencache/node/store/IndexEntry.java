package org.opencache.node.store;

/**
 * What the in-memory index keeps for one key: its metadata and its body. Immutable, so a lookup
 * that read an entry keeps a consistent pair while a commit replaces it.
 */
record IndexEntry(StoreKey key, ObjectMeta meta, Body body) {
}
