package org.opencache.node.store;

/**
 * Why the store did not keep a response ({@link StoreWriter#refusal()}), for the response's
 * {@code Cache-Status} (RFC 9211 {@code detail}) and the logs.
 */
public enum StoreRefusal {
    /** The body is over {@code max_item_size} (or {@code max_disk}). */
    TOO_LARGE,
    /** The store is full and its eviction policy (TinyLFU) did not admit the newcomer. */
    NOT_ADMITTED,
    /** The file system is full, and reclaiming what the store holds did not make room. */
    DISK_FULL,
    /** Any other write error, or a body that did not match its declared length. */
    STORE_ERROR,
    /** A purge of the key arrived while the response was being written ({@link ObjectStore#purge}). */
    PURGED,
    /** The store is closed (the node is stopping). */
    CLOSED
}
