package org.opencache.dist;

import java.util.OptionalLong;

/**
 * The maximum heap {@code bin/opencache} gives the JVM for the roles a process runs: a node needs
 * {@code max_cache_size} for its memory tier plus a fixed headroom for everything else (Jetty,
 * requests in flight, the disk index, Caffeine's entries); a controller needs a fixed heap. Without
 * this the JVM may grow its heap to a quarter of the machine's RAM and keep it, whatever the cache
 * bound (bench/HISTORY.md, "How far from the targets", item 5).
 *
 * <p>The fixed parts were chosen by measurement (bench/HISTORY.md, results of 2026-11-23): with
 * both roles and {@code max_cache_size = 8MB} a 200 MiB heap keeps the resident set under
 * {@code max_cache_size + 300 MiB} while serving hits (about 35 MiB over it under a miss-heavy
 * load, when G1 commits the whole heap); a 152 MiB heap stayed under it there too, but cost a
 * fifth of the 1 KiB hit rate and doubled its p99.
 *
 * <p>A node's disk index takes about 64 bytes of heap per object on disk and may use half of the
 * heap beyond {@code max_cache_size} (docs/design.md §6), so a node also gets 128 bytes for each
 * 4 KiB of {@code max_disk}: room for a disk full of objects of a block each before the index's
 * budget rather than {@code max_disk} bounds what is stored (none for the benchmark's 8 MiB disk;
 * 320 MiB for 10 GB).
 *
 * @param controller   whether the process runs the controller
 * @param node         whether the process runs a node
 * @param maxCacheSize the node's {@code max_cache_size} in bytes ({@code 0}: no bound; ignored without a node)
 * @param maxDisk      the node's {@code max_disk} in bytes ({@code 0}: no bound, no index room; ignored without a node)
 */
record HeapSize(boolean controller, boolean node, long maxCacheSize, long maxDisk) {
    static final long MIB = 1L << 20;
    /** Heap a node needs besides its memory tier. */
    static final long NODE_HEADROOM_MIB = 128;
    /** Heap of the controller, embedded database included (its H2 store keeps its data on disk). */
    static final long CONTROLLER_MIB = 64;
    /** Heap given to the disk index per 4 KiB of {@code max_disk}: twice what a key costs, as the index may use half. */
    static final long INDEX_BYTES_PER_BLOCK = 128;

    HeapSize {
        if (!controller && !node) {
            throw new IllegalArgumentException("no role");
        }
        if (maxCacheSize < 0) {
            throw new IllegalArgumentException("max_cache_size " + maxCacheSize);
        }
        if (maxDisk < 0) {
            throw new IllegalArgumentException("max_disk " + maxDisk);
        }
    }

    /**
     * The maximum heap in MiB, or empty when the JVM's default should stay: a node with
     * {@code max_cache_size = 0} sizes its memory tier as a quarter of the maximum heap, so a heap
     * derived from the other parts would leave it almost nothing.
     */
    OptionalLong maxHeapMib() {
        if (node && maxCacheSize == 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(cacheMib() + (node ? NODE_HEADROOM_MIB : 0) + indexMib()
                + (controller ? CONTROLLER_MIB : 0));
    }

    /**
     * The initial heap in MiB, present when {@link #maxHeapMib()} is: half the maximum. G1 left to
     * itself keeps the heap as small as its pause goal allows; under the 1 KiB hit benchmark that
     * was 50 MiB for 25 MiB of live data, a young collection every 100 ms and a concurrent cycle
     * every few seconds (Remark pauses of 4-7 ms), which set the p99 latency. A floor of half the
     * maximum cut the collections to a quarter (bench/HISTORY.md, third session).
     */
    OptionalLong initialHeapMib() {
        OptionalLong max = maxHeapMib();
        return max.isPresent() ? OptionalLong.of(max.getAsLong() / 2) : OptionalLong.empty();
    }

    /** Where {@link #maxHeapMib()} comes from, for the start-up log, e.g. "max_cache_size 8 MiB + 128 MiB node headroom". */
    String explanation() {
        if (node && maxCacheSize == 0) {
            return "max_cache_size = 0 (no bound): the JVM's default heap, a quarter of it for the memory tier";
        }
        StringBuilder parts = new StringBuilder();
        if (node) {
            parts.append("max_cache_size ").append(cacheMib()).append(" MiB + ")
                    .append(NODE_HEADROOM_MIB).append(" MiB node headroom");
            if (indexMib() > 0) {
                parts.append(" + ").append(indexMib()).append(" MiB disk index");
            }
        }
        if (controller) {
            parts.append(node ? " + " : "").append(CONTROLLER_MIB).append(" MiB controller");
        }
        return parts.toString();
    }

    /** Room for the disk index: {@value #INDEX_BYTES_PER_BLOCK} bytes per 4 KiB of {@code max_disk}, in whole MiB. */
    private long indexMib() {
        return node ? maxDisk / 4096 * INDEX_BYTES_PER_BLOCK / MIB : 0;
    }

    /** {@code max_cache_size} rounded up to whole MiB, so the tier always fits. */
    private long cacheMib() {
        return node ? (maxCacheSize + MIB - 1) / MIB : 0;
    }
}
