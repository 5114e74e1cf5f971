package org.opencache.node.stats;

import org.opencache.common.protocol.InstanceState;

/**
 * An instance's state with its live counters: what statistics, the status page and the metrics
 * read of an instance.
 *
 * @param state    the instance as the controller sees it
 * @param counters its hit and miss counters, updated by its handler as requests complete
 */
public record InstanceView(InstanceState state, InstanceCounters counters) {
}
