package org.opencache.common.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A node-id on its own: the result of {@code hello} and the params of {@code keep_alive} and
 * {@code goodbye}.
 *
 * <pre>{"node-id": 1}</pre>
 *
 * @param nodeId the id the controller gave the node
 */
public record NodeRef(@JsonProperty("node-id") int nodeId) {

    /** Node ids start at 1. */
    public NodeRef {
        Payloads.requireNodeId(nodeId);
    }
}
