package org.opencache.node.instance;

import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.opencache.common.expr.Expression;
import org.opencache.node.stats.InstanceCounters;

/** Creates the HTTP handler that serves one instance (the cache handler, in production). */
@FunctionalInterface
public interface HandlerFactory {

    /**
     * @param expression what the instance caches
     * @param horizon    freshness for responses that state none
     * @param counters   where the handler counts hits and misses
     */
    Handler create(Expression expression, Duration horizon, InstanceCounters counters);
}
