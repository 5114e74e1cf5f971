package org.opencache.common.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The params of the {@code stat} notification: the counters of every instance of a node.
 *
 * <pre>{"node-id": 1, "stats": [{"expr": "example.com", "status": "start", "port": 49003,
 *  "avg_load": 12.5, "cache_hit": 10, …}]}</pre>
 *
 * @param nodeId the reporting node
 * @param stats  one entry per instance
 */
public record StatReport(@JsonProperty("node-id") int nodeId, List<InstanceStats> stats) {

    /** Requires a node-id and a list without holes. */
    public StatReport {
        Payloads.requireNodeId(nodeId);
        stats = Payloads.elements(stats, "stats");
        for (InstanceStats entry : stats) {
            Payloads.require(entry.expr(), "stats[].expr");
            Payloads.require(entry.status(), "stats[].status");
        }
    }
}
