package org.opencache.node.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Decides which bodies the disk tier keeps under {@code max_disk}: Caffeine's W-TinyLFU, the
 * policy the memory tier uses, over the bodies on disk weighted by their length. An LRU lets a
 * burst of one-time requests push out objects that are asked for all the time; TinyLFU admits a
 * new object over an old one only if it has been asked for more often recently, and remembers
 * how often keys were asked for even while they are not stored. On the benchmark's Zipf workload
 * (bench/README.md) it keeps 0.839 of requests hits where an LRU of the same size keeps 0.811
 * (an offline replay of the same sequence).
 *
 * <p>Each body is registered under one key that serves it ({@link Body#policyKey()}), so that
 * the frequency Caffeine remembers belongs to the URL, not to one stored copy of it: a refetched
 * object keeps its popularity. The policy only decides; Caffeine tells it of an eviction while
 * holding its own lock, so the victim is queued and the {@link DiskTier} removes its keys and
 * files under the store lock ({@link #pollVictim()}).
 *
 * <p>Changes ({@link #add}, {@link #remove}, {@link #rekey}) are made under the store lock;
 * {@link #touch} is lock-free. Not every eviction is immediate: Caffeine may run its maintenance
 * on a reading thread, and the victims wait in the queue for the next change.
 */
final class DiskPolicy {
    private final Cache<StoreKey, Body> bodies;
    private final Queue<Body> victims = new ConcurrentLinkedQueue<>();

    /**
     * A policy without a bound yet: the bodies found at start are added first, in the order they
     * were written, so that {@link #limit} then evicts the oldest writes, not the newest (TinyLFU
     * would refuse each newcomer over an equally unknown incumbent).
     */
    DiskPolicy() {
        this.bodies = Caffeine.newBuilder()
                .executor(Runnable::run)
                .maximumWeight(Long.MAX_VALUE)
                .weigher((StoreKey key, Body body) -> (int) Math.min(body.length(), Integer.MAX_VALUE))
                .evictionListener((StoreKey key, Body body, RemovalCause cause) -> {
                    if (body != null) {
                        victims.add(body);
                    }
                })
                .build();
    }

    /** Bounds the bodies to {@code maxDisk} bytes (0: no bound), evicting the coldest if they are over. */
    void limit(long maxDisk) {
        if (maxDisk > 0) {
            bodies.policy().eviction().orElseThrow().setMaximum(maxDisk);
        }
    }

    /** Starts tracking a new body under its {@link Body#policyKey()}; this may evict others. */
    void add(Body body) {
        bodies.put(body.policyKey(), body);
    }

    /** Stops tracking a body that is gone from the index. */
    void remove(Body body) {
        bodies.asMap().remove(body.policyKey(), body);
    }

    /** Moves a body that lost its policy key to another key that still serves it. */
    void rekey(Body body, StoreKey newKey) {
        remove(body);
        body.policyKey(newKey);
        add(body);
    }

    /** Records a use of the body (lock-free). */
    void touch(Body body) {
        bodies.getIfPresent(body.policyKey());
    }

    /** The next body the policy evicted, or null. */
    Body pollVictim() {
        return victims.poll();
    }

    /**
     * The body the policy would evict next, other than {@code spared}, or null: for when the
     * bytes on disk must come down at once (an object larger than {@code Integer.MAX_VALUE} bytes
     * weighs less than its length; a smaller {@code max_disk} after a restart).
     */
    Body coldest(Body spared) {
        for (Map.Entry<StoreKey, Body> entry
                : bodies.policy().eviction().orElseThrow().coldest(2).entrySet()) {
            if (entry.getValue() != spared) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** Runs Caffeine's pending maintenance now, so that its evictions are queued (tests). */
    void cleanUp() {
        bodies.cleanUp();
    }
}
