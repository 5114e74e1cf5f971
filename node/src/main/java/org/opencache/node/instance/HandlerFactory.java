package org.opencache.node.instance;

import java.time.Duration;
import java.util.function.Supplier;
import org.opencache.common.expr.Expression;
import org.opencache.node.stats.InstanceCounters;

/** Creates what serves one instance (the cache handler and its pre-fetcher, in production). */
@FunctionalInterface
public interface HandlerFactory {

    /**
     * @param expression what the instance caches
     * @param horizon    the instance's current freshness for responses that state none; read it
     *                   on every use, since a {@code start} with a new horizon changes it in place
     * @param counters   where the handler counts hits and misses
     */
    InstanceHandler create(Expression expression, Supplier<Duration> horizon, InstanceCounters counters);
}
