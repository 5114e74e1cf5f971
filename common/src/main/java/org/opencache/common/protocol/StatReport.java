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

    /**
     * Requires a node-id and a list without holes whose counters are within bounds: ports
     * 0-65535, {@code avg_load} finite from 0 to 10<sup>9</sup> requests/s, every counter and size
     * from 0 to 2<sup>53</sup> (docs/design.md §5). The controller drops a report that breaks
     * any of them whole, so one bad entry never leaves a half-recorded report.
     */
    public StatReport {
        Payloads.requireNodeId(nodeId);
        stats = Payloads.stats(stats, "stats");
    }
}
