package org.opencache.controller.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.controller.state.ControllerState;
import org.opencache.controller.state.InstanceRecord;
import org.opencache.controller.state.NodeRecord;
import org.opencache.controller.state.NodeStatus;
import org.slf4j.LoggerFactory;

/**
 * The controller's Prometheus metrics at {@code GET /metrics} (docs/design.md §4, "Metrics"):
 * nodes up and down, instances by status and whether the database answers (read from the state
 * at each scrape), JSON-RPC calls by method and outcome and their latency, and the JVM.
 *
 * <p>Method labels are only the API's own method names (anything else is {@code invalid}), so a
 * client cannot grow the number of series; every meter is resolved once, at start.
 */
final class ApiMetrics {
    /** What became of a call. */
    enum Outcome {
        /** Answered with a result. */
        OK,
        /** Answered with a JSON-RPC error (bad parameters, a node that failed, no database…). */
        ERROR,
        /** Refused for the token's role (HTTP 403); nothing ran. */
        FORBIDDEN;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The label of calls that name no method of the API. */
    static final String INVALID = "invalid";

    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
        Duration.ofSeconds(10),
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ControllerState state;
    private final Map<String, Timer> latency = new TreeMap<>();
    private final Map<String, Map<Outcome, Counter>> calls = new TreeMap<>();
    private final Map<NodeStatus, AtomicLong> nodes = new EnumMap<>(NodeStatus.class);
    private final Map<InstanceStatus, AtomicLong> instances = new EnumMap<>(InstanceStatus.class);
    private final AtomicLong databaseUp = new AtomicLong();

    ApiMetrics(ControllerState state) {
        this.state = state;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        for (Method method : OpenCacheApi.class.getMethods()) {
            resolve(method.getName());
        }
        resolve(INVALID);
        for (NodeStatus status : NodeStatus.values()) {
            AtomicLong count = new AtomicLong();
            nodes.put(status, count);
            Gauge.builder("opencache_controller_nodes", count, AtomicLong::get)
                    .description("nodes the controller knows, by status").tag("status", status.wireName())
                    .register(registry);
        }
        for (InstanceStatus status : InstanceStatus.values()) {
            AtomicLong count = new AtomicLong();
            instances.put(status, count);
            Gauge.builder("opencache_controller_instances", count, AtomicLong::get)
                    .description("instances on all nodes, by status").tag("status", status.wireName())
                    .register(registry);
        }
        Gauge.builder("opencache_controller_database_up", databaseUp, AtomicLong::get)
                .description("1 when the database answered the scrape's reads, else 0").register(registry);
    }

    private void resolve(String method) {
        latency.computeIfAbsent(method, name -> Timer.builder("opencache_controller_rpc_duration")
                .description("time to answer one JSON-RPC call, by method").tag("method", name)
                .serviceLevelObjectives(BUCKETS).register(registry));
        calls.computeIfAbsent(method, name -> {
            Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, Counter.builder("opencache_controller_rpc_calls")
                        .description("JSON-RPC calls, by method and outcome").tag("method", name)
                        .tag("outcome", outcome.label()).register(registry));
            }
            return byOutcome;
        });
    }

    /** The label for a method a request names: itself if the API has it, else {@link #INVALID}. */
    String label(String method) {
        return method != null && calls.containsKey(method) ? method : INVALID;
    }

    /** One call answered after {@code nanos}. */
    void called(String method, Outcome outcome, long nanos) {
        String label = label(method);
        calls.get(label).get(outcome).increment();
        latency.get(label).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One call refused for the role, before anything ran. */
    void forbidden(String method) {
        calls.get(label(method)).get(Outcome.FORBIDDEN).increment();
    }

    /** Reads the state for the gauges, then the Prometheus text of every meter. */
    synchronized String scrape() {
        try {
            Map<NodeStatus, Long> nodeCounts = new EnumMap<>(NodeStatus.class);
            for (NodeRecord node : state.nodes()) {
                nodeCounts.merge(node.status(), 1L, Long::sum);
            }
            Map<InstanceStatus, Long> instanceCounts = new EnumMap<>(InstanceStatus.class);
            for (InstanceRecord instance : state.instances()) {
                instanceCounts.merge(instance.status(), 1L, Long::sum);
            }
            nodes.forEach((status, count) -> count.set(nodeCounts.getOrDefault(status, 0L)));
            instances.forEach((status, count) -> count.set(instanceCounts.getOrDefault(status, 0L)));
            databaseUp.set(1);
        } catch (RuntimeException e) {
            // The counts keep their last values: the database, not the nodes, went away.
            databaseUp.set(0);
            LoggerFactory.getLogger(ApiMetrics.class).debug("metrics: the database did not answer: {}", e.toString());
        }
        return registry.scrape();
    }
}
