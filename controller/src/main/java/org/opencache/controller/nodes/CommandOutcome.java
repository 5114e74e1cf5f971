package org.opencache.controller.nodes;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What became of one command sent to several nodes. Serialised as the {@code data} of a
 * {@code -32001} error when some node failed:
 *
 * <pre>{"failed": [{"node-id": 2, "reason": "no acknowledgement within 5s"}], "succeeded": [1]}</pre>
 *
 * @param succeeded node-ids that acknowledged
 * @param failed    the nodes that did not, each with the reason
 */
public record CommandOutcome(List<Integer> succeeded, List<Failure> failed) {

    /** A node that did not acknowledge, and why. */
    public record Failure(@JsonProperty("node-id") int nodeId, String reason) {
    }

    /** Whether every targeted node acknowledged. */
    public boolean allSucceeded() {
        return failed.isEmpty();
    }
}
