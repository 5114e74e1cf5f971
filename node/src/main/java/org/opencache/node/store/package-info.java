/**
 * The node's object storage, shared by all its instances (docs/design.md §6): a memory tier
 * bounded by {@code max_cache_size} over a disk tier bounded by {@code max_disk} under
 * {@code cache_path/objects/}, with the file layout and crash-safe writes, the index rebuilt from
 * the metadata files at start, W-TinyLFU eviction, links that let several keys share one body
 * ({@code seed}), the periodic purge of expired objects, the body files kept open for
 * {@code sendfile(2)}, and files private to the node's user ({@code PrivateFiles}: directories
 * 0700, files 0600, also for {@code node.uuid} and {@code instances.json}).
 *
 * <p>Judges nothing about HTTP: it keeps each body with the metadata its writer gives (status,
 * fields, times, and an {@code expires} time that drives the purge). May use
 * {@code org.opencache.common} (configuration, the shared JSON mapper) and no other node package;
 * libraries: Caffeine and Jackson. Used by the node's {@code http} package (lookups, writes,
 * revalidation, links), {@code instance} (deleting a stopped instance's objects), {@code stats}
 * and {@code status} (counts and sizes), the node root package, which opens the store and starts
 * the purge, and the JMH benchmarks.
 */
package org.opencache.node.store;
