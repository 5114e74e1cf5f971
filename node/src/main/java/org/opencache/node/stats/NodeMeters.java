package org.opencache.node.stats;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The node's meter registry, in Prometheus form: each instance registers its meters here
 * ({@link #forInstance}) and the status server's {@code /metrics} reads it. Micrometer stays in
 * the metrics packages ({@code stats}, {@code status}); the rest of the node passes this along.
 */
public final class NodeMeters {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** The meters of instance {@code expr}, registered until they are closed. */
    public InstanceMeters forInstance(String expr) {
        return new InstanceMeters(registry, expr);
    }

    /** The registry itself, for the node's own meters and the Prometheus exposition. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
