package org.opencache.node.status;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.node.stats.InstanceCounters;
import org.opencache.node.stats.InstanceView;

/**
 * The node's Prometheus metrics: per-instance hit/miss/origin-error counters and stored objects, the
 * controller link, and the JVM. Instances appear as they are first seen at a scrape; their meters
 * read the live values through {@link NodeStatusSource} so a restarted instance keeps its series.
 */
final class NodeMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final NodeStatusSource source;
    private final Set<String> registered = new HashSet<>();

    NodeMetrics(NodeStatusSource source) {
        this.source = source;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        Gauge.builder("opencache_controller_connected", source, s -> s.controllerConnected() ? 1 : 0)
                .description("1 while the node is registered with its controller")
                .register(registry);
        FunctionCounter.builder("opencache_access_log_dropped", source, NodeStatusSource::accessLogDropped)
                .description("access log lines not written: the queue was full, or the file failed")
                .register(registry);
    }

    /** The Prometheus text exposition of every meter. */
    synchronized String scrape() {
        for (InstanceView view : source.instances()) {
            if (registered.add(view.state().expr())) {
                register(view.state().expr());
            }
        }
        return registry.scrape();
    }

    private void register(String expr) {
        counter(expr, "opencache_cache_hits", "responses served from the cache", InstanceCounters::hits);
        counter(expr, "opencache_cache_hit_bytes", "body bytes sent on hits", InstanceCounters::hitBytes);
        counter(expr, "opencache_cache_misses", "responses that needed the origin", InstanceCounters::misses);
        counter(expr, "opencache_cache_miss_bytes", "body bytes sent on misses", InstanceCounters::missBytes);
        counter(expr, "opencache_origin_errors", "requests the origin could not answer (neither hit nor miss)",
                InstanceCounters::originErrors);
        Gauge.builder("opencache_cache_objects", source, s -> s.store().objectCount(expr))
                .description("objects stored").tag("expr", expr).register(registry);
        Gauge.builder("opencache_cache_object_bytes", source, s -> s.store().objectBytes(expr))
                .description("body bytes stored").tag("expr", expr).register(registry);
        Gauge.builder("opencache_instance_serving", source,
                        s -> view(s, expr).map(v -> v.state().status() == InstanceStatus.START ? 1.0 : 0.0).orElse(0.0))
                .description("1 while the instance serves").tag("expr", expr).register(registry);
    }

    private void counter(String expr, String name, String help, ToDoubleFunction<InstanceCounters> value) {
        FunctionCounter.builder(name, source, s -> view(s, expr).map(v -> value.applyAsDouble(v.counters())).orElse(0.0))
                .description(help).tag("expr", expr).register(registry);
    }

    private static Optional<InstanceView> view(NodeStatusSource source, String expr) {
        return source.instances().stream().filter(v -> v.state().expr().equals(expr)).findFirst();
    }
}
