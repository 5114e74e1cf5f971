package org.opencache.node.status;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.ToDoubleFunction;
import org.opencache.node.store.TieredObjectStore;

/**
 * The node's Prometheus metrics (docs/design.md §6, "Metrics"): the meters of each instance,
 * which register and remove themselves as instances start and stop ({@code stats.InstanceMeters}),
 * plus what is the node's alone here: the store's tiers, the controller link, and the JVM.
 *
 * <p>The store is shared by all instances, so its tier series carry a {@code tier} label and no
 * {@code expr}; each instance's share of it is {@code opencache_cache_objects} and
 * {@code opencache_cache_object_bytes}.
 */
final class NodeMetrics {
    private final PrometheusMeterRegistry registry;

    NodeMetrics(NodeStatusSource source, PrometheusMeterRegistry registry) {
        this.registry = registry;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        Gauge.builder("opencache_controller_connected", source, s -> s.controllerConnected() ? 1 : 0)
                .description("1 while the node is registered with its controller")
                .register(registry);
        FunctionCounter.builder("opencache_access_log_dropped", source, NodeStatusSource::accessLogDropped)
                .description("access log lines not written: the queue was full, or the file failed")
                .register(registry);
        if (source.store() instanceof TieredObjectStore store) {
            tier(store, "memory", TieredObjectStore::memoryObjects, TieredObjectStore::memoryBytes,
                    TieredObjectStore::memoryEvictions);
            tier(store, "disk", TieredObjectStore::keys, TieredObjectStore::diskBytes,
                    TieredObjectStore::diskEvictions);
        }
    }

    private void tier(TieredObjectStore store, String tier, ToDoubleFunction<TieredObjectStore> objects,
            ToDoubleFunction<TieredObjectStore> bytes, ToDoubleFunction<TieredObjectStore> evictions) {
        Gauge.builder("opencache_store_objects", store, objects)
                .description("objects held by a tier of the node's store (all instances)").tag("tier", tier)
                .register(registry);
        Gauge.builder("opencache_store_bytes", store, bytes)
                .description("bytes held by a tier of the node's store: the memory tier's weight, the disk"
                        + " tier's files in whole blocks").tag("tier", tier)
                .register(registry);
        FunctionCounter.builder("opencache_store_evictions", store, evictions)
                .description("objects a tier dropped to make room (memory: still on disk; disk: gone)")
                .tag("tier", tier).register(registry);
    }

    /** The Prometheus text exposition of every meter. */
    String scrape() {
        return registry.scrape();
    }
}
