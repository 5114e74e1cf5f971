package org.opencache.node.store;

/**
 * Identifies one stored object: the instance it belongs to and the cache key inside it (the
 * HTTP layer builds the key from method, URL and the Vary-selected request fields).
 *
 * @param instance the instance's canonical expression
 * @param key      the cache key within the instance
 */
public record StoreKey(String instance, String key) {
}
