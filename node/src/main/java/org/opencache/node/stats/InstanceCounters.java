package org.opencache.node.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * The live request counters of one instance, updated on every response by the HTTP layer (cheap
 * under contention: {@link LongAdder}s) and read by the stat reporter, with the instance's
 * Prometheus {@link InstanceMeters}.
 */
public final class InstanceCounters {
    private final InstanceMeters meters;
    private final LongAdder hits = new LongAdder();
    private final LongAdder hitBytes = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder missBytes = new LongAdder();
    private final LongAdder originErrors = new LongAdder();
    private final LongAdder requests = new LongAdder();

    /** Counters whose meters go nowhere (tests, tools). */
    public InstanceCounters() {
        this(InstanceMeters.unregistered(""));
    }

    /** Counters of an instance with these meters. */
    public InstanceCounters(InstanceMeters meters) {
        this.meters = meters;
    }

    /** The instance's Prometheus meters, which the HTTP layer also records into. */
    public InstanceMeters meters() {
        return meters;
    }

    /** A response served from the cache, with the body bytes sent to the client. */
    public void hit(long bytesSent) {
        hits.increment();
        hitBytes.add(bytesSent);
        requests.increment();
    }

    /** A response that needed the origin (miss, revalidation, pass-through), with bytes sent. */
    public void miss(long bytesSent) {
        misses.increment();
        missBytes.add(bytesSent);
        requests.increment();
    }

    /**
     * A request the origin could not answer (unresolvable, refused, timed out, reset midway): the
     * cache's 502 or 504, or a response cut short. Neither a hit nor a miss, so an outage does not
     * skew the hit ratio.
     */
    public void originError() {
        originErrors.increment();
        requests.increment();
    }

    /** Cache hits so far. */
    public long hits() {
        return hits.sum();
    }

    /** Body bytes sent on hits so far. */
    public long hitBytes() {
        return hitBytes.sum();
    }

    /** Cache misses so far. */
    public long misses() {
        return misses.sum();
    }

    /** Body bytes sent on misses so far. */
    public long missBytes() {
        return missBytes.sum();
    }

    /** Requests the origin could not answer so far. */
    public long originErrors() {
        return originErrors.sum();
    }

    /** All requests answered so far (the basis of {@code avg_load}). */
    public long requests() {
        return requests.sum();
    }
}
