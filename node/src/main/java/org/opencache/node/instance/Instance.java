package org.opencache.node.instance;

import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.server.ServerConnector;
import org.opencache.common.expr.Expression;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.node.http.fill.Prefetcher;
import org.opencache.node.stats.InstanceCounters;

/**
 * One cache instance: its expression, lifecycle state, port, and while it serves, its connector
 * and handler. Mutable, and only ever touched under the {@link InstanceManager}'s lock.
 */
final class Instance {
    final Expression expression;
    /** Volatile because the metrics read it at a scrape ({@code opencache_instance_serving}). */
    volatile InstanceStatus status = InstanceStatus.STOP;
    int port;
    /**
     * Volatile because the handler reads it on request threads ({@link #horizon()}): a
     * {@code start} with a new horizon changes it in place, without closing the port.
     */
    volatile Duration horizon = Duration.ZERO;
    /** Unmetered until the manager gives it metered ones: a stopped instance has no series. */
    InstanceCounters counters = new InstanceCounters();
    ServerConnector connector;
    /** Set while the port is open; the pre-fetcher outlives it until the instance stops. */
    InstanceHandler handler;
    Optional<Prefetcher> prefetcher = Optional.empty();

    Instance(Expression expression) {
        this.expression = expression;
    }

    InstanceState state() {
        return new InstanceState(expression.canonical(), status, port, horizon.toSeconds());
    }

    /** The current horizon, as the handler reads it on every request. */
    Duration horizon() {
        return horizon;
    }

    boolean serving() {
        return connector != null;
    }
}
