/**
 * The lifecycle of the node's cache instances (docs/design.md §6): one per expression, each on
 * its own port from {@code port_range}, all in one Jetty server; {@code start}, {@code pause}
 * and {@code stop} as the controller commands them, saved in {@code cache_path} so that a
 * restarted node serves again before it reaches the controller; the redirect of each origin to
 * its instance through a {@code Redirector}.
 *
 * <p>Owns, per instance, what serves it ({@code InstanceHandler}: the handler and the
 * pre-fetcher), made by a {@code HandlerFactory} and a {@code ConnectorFactory} that the node
 * root package fills in, so this package does not build caches itself. May use {@code common},
 * {@code node.store} (deleting a stopped instance's objects), {@code node.stats} (its counters),
 * {@code http.fill}'s {@code Prefetcher} type and Jetty's server. Used by the node root package
 * ({@code Node}, {@code NodeCommands}); {@code node.openflow} implements its {@code Redirector}.
 */
package org.opencache.node.instance;
