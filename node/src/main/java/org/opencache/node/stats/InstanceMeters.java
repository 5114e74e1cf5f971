package org.opencache.node.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;
import org.eclipse.jetty.io.Connection;
import org.opencache.node.store.ObjectStore;

/**
 * The Prometheus meters of one instance, every series labelled {@code expr="…"} (docs/design.md
 * §6, "Metrics"): request latency (hits and misses apart), responses by status class and by
 * {@code Cache-Status} outcome, open connections, origin connect and first-byte times, and the
 * instance's {@link InstanceCounters} and stored objects.
 *
 * <p>Every meter is resolved once here, so that a request only adds to meters it holds
 * (no registry lookup, no tags built per request). {@link #close()} removes every series of the
 * instance from the registry: a stopped instance leaves none behind.
 */
public final class InstanceMeters implements OriginTimer, AutoCloseable {
    /** The label naming the instance: its expression, as in the JSON-RPC API. */
    public static final String LABEL = "expr";

    /**
     * The latency histogram's bucket bounds: 13 from 0.5 ms to 10 s, enough to tell a memory hit
     * from a disk hit from an origin round trip, few enough to keep the series per instance modest.
     */
    static final Duration[] BUCKETS = {
        Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(10),
    };

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Timer hitLatency;
    private final Timer missLatency;
    /** Indexed by status / 100 (1 to 5; anything else counts as 5xx). */
    private final Counter[] statusClasses = new Counter[6];
    private final Counter[] outcomes = new Counter[CacheOutcome.values().length];
    private final Timer originConnect;
    private final Timer originFirstByte;
    private final LongAdder openConnections = new LongAdder();
    private final Connection.Listener connectionListener = new Connection.Listener() {
        @Override
        public void onOpened(Connection connection) {
            openConnections.increment();
        }

        @Override
        public void onClosed(Connection connection) {
            openConnections.decrement();
        }
    };

    /** Meters that go nowhere: for handlers made without a node (tests). */
    public static InstanceMeters unregistered(String expr) {
        return new InstanceMeters(new CompositeMeterRegistry(), expr);
    }

    /** Registers the request meters of instance {@code expr} in {@code registry}. */
    public InstanceMeters(MeterRegistry registry, String expr) {
        this.registry = registry;
        this.hitLatency = latency(expr, "hit");
        this.missLatency = latency(expr, "miss");
        for (int i = 1; i <= 5; i++) {
            statusClasses[i] = keep(Counter.builder("opencache_responses")
                    .description("responses sent, by status class").tag(LABEL, expr).tag("code", i + "xx")
                    .register(registry));
        }
        statusClasses[0] = statusClasses[5];
        for (CacheOutcome outcome : CacheOutcome.values()) {
            outcomes[outcome.ordinal()] = keep(Counter.builder("opencache_cache_status")
                    .description("responses by Cache-Status outcome").tag(LABEL, expr).tag("outcome", outcome.label())
                    .register(registry));
        }
        this.originConnect = keep(Timer.builder("opencache_origin_connect")
                .description("wait for an origin connection: the connect for a new one, about 0 for a pooled one")
                .tag(LABEL, expr).serviceLevelObjectives(BUCKETS).register(registry));
        this.originFirstByte = keep(Timer.builder("opencache_origin_first_byte")
                .description("from sending a request to the origin to its response's first byte")
                .tag(LABEL, expr).serviceLevelObjectives(BUCKETS).register(registry));
        keep(Gauge.builder("opencache_open_connections", openConnections, LongAdder::sum)
                .description("client connections open on the instance's port").tag(LABEL, expr).register(registry));
    }

    /**
     * Registers the instance's counters, what it stores and whether it serves, read at each scrape.
     *
     * @param serving whether the instance is started
     */
    public void watch(String expr, InstanceCounters counters, ObjectStore store, BooleanSupplier serving) {
        counter(expr, counters, "opencache_cache_hits", "responses served from the cache", InstanceCounters::hits);
        counter(expr, counters, "opencache_cache_hit_bytes", "body bytes sent on hits", InstanceCounters::hitBytes);
        counter(expr, counters, "opencache_cache_misses", "responses that needed the origin", InstanceCounters::misses);
        counter(expr, counters, "opencache_cache_miss_bytes", "body bytes sent on misses",
                InstanceCounters::missBytes);
        counter(expr, counters, "opencache_origin_errors",
                "requests the origin could not answer (neither hit nor miss)", InstanceCounters::originErrors);
        keep(Gauge.builder("opencache_cache_objects", store, s -> s.objectCount(expr))
                .description("objects stored").tag(LABEL, expr).register(registry));
        keep(Gauge.builder("opencache_cache_object_bytes", store, s -> s.objectBytes(expr))
                .description("body bytes stored").tag(LABEL, expr).register(registry));
        keep(Gauge.builder("opencache_instance_serving", serving, s -> s.getAsBoolean() ? 1 : 0)
                .description("1 while the instance serves").tag(LABEL, expr).strongReference(true).register(registry));
    }

    /**
     * One response ended.
     *
     * @param outcome what its {@code Cache-Status} said
     * @param status  its status code
     * @param nanos   from the request's head arriving to the response's last byte written
     */
    public void responded(CacheOutcome outcome, int status, long nanos) {
        (outcome.fromStore() ? hitLatency : missLatency).record(nanos, TimeUnit.NANOSECONDS);
        int statusClass = status / 100;
        statusClasses[statusClass >= 1 && statusClass <= 5 ? statusClass : 0].increment();
        outcomes[outcome.ordinal()].increment();
    }

    @Override
    public void connected(long nanos) {
        originConnect.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void firstByte(long nanos) {
        originFirstByte.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts the connections of the instance's port: add it to the port's connector. */
    public Connection.Listener connections() {
        return connectionListener;
    }

    /** Removes every series of the instance from the registry. */
    @Override
    public synchronized void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }

    private Timer latency(String expr, String cache) {
        return keep(Timer.builder("opencache_request_duration")
                .description("from a request's head to its response's last byte; cache=hit: from the store"
                        + " (hit, stale), cache=miss: every other response")
                .tag(LABEL, expr).tag("cache", cache).serviceLevelObjectives(BUCKETS).register(registry));
    }

    private void counter(String expr, InstanceCounters counters, String name, String help,
            ToDoubleFunction<InstanceCounters> value) {
        keep(FunctionCounter.builder(name, counters, value).description(help).tag(LABEL, expr).register(registry));
    }

    private synchronized <M extends Meter> M keep(M meter) {
        meters.add(meter);
        return meter;
    }
}
