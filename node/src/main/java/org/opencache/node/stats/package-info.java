/**
 * An instance's counters ({@code InstanceCounters}, updated by its handler as responses
 * complete) and Prometheus meters ({@code InstanceMeters}, resolved once per instance), the view
 * of an instance that statistics read ({@code InstanceView}), and the
 * periodic and on-demand report of them to the controller with the load and disk alerts
 * ({@code StatReporter}, docs/design.md §5).
 *
 * <p>May use {@code common.protocol} (the report's records) and {@code node.store} (stored
 * bytes); libraries: Micrometer and Jetty's connection listener. Sends through a {@code StatSink}
 * so it knows nothing of the link. Used by {@code http.serve} (counting, with the
 * {@code CacheOutcome} that {@code http.rules.CacheStatus} names), {@code http.origin} (the
 * {@code OriginTimer} of an exchange), {@code node.instance} (each instance's counters),
 * {@code node.status} (the status page and metrics) and the node root package.
 */
package org.opencache.node.stats;
