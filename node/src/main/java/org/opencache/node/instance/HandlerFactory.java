package org.opencache.node.instance;

import java.time.Duration;
import org.opencache.common.expr.Expression;
import org.opencache.node.stats.InstanceCounters;

/** Creates what serves one instance (the cache handler and its pre-fetcher, in production). */
@FunctionalInterface
public interface HandlerFactory {

    /**
     * @param expression what the instance caches
     * @param horizon    freshness for responses that state none
     * @param counters   where the handler counts hits and misses
     */
    InstanceHandler create(Expression expression, Duration horizon, InstanceCounters counters);
}
