/**
 * The node's object storage, shared by all its instances (docs/design.md §6): a memory tier
 * bounded by {@code max_cache_size} over a disk tier bounded by {@code max_disk} under
 * {@code cache_path/objects/}: records appended to segment files ({@code SegmentLayout},
 * {@code RecordFormat}, {@code SegmentWriter}), the compact index of primitive arrays
 * ({@code CompactIndex}) rebuilt from the segments at start ({@code IndexLoader}), reclaiming
 * oldest segment first with TinyLFU admission ({@code DiskTier}, {@code FrequencySketch}), links
 * that let several keys share one body ({@code seed}), the periodic purge of expired objects, the
 * segment files kept open for reads and {@code sendfile(2)}, and files private to the node's user
 * ({@code PrivateFiles}: directories 0700, files 0600, also for {@code node.uuid} and
 * {@code instances.json}).
 *
 * <p>Judges nothing about HTTP: it keeps each body with the metadata its writer gives (status,
 * fields, times, and an {@code expires} time that drives the purge). May use
 * {@code org.opencache.common} (configuration) and no other node package;
 * library: Caffeine. Used by the node's {@code http} package (lookups, writes,
 * revalidation, links), {@code instance} (deleting a stopped instance's objects), {@code stats}
 * and {@code status} (counts and sizes), the node root package, which opens the store and starts
 * the purge, and the JMH benchmarks.
 */
package org.opencache.node.store;
