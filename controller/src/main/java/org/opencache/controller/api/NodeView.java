package org.opencache.controller.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One element of the {@code nodes} result.
 *
 * <pre>{"node-id": 1, "host": "10.0.0.3", "status": "up", "last_seen": "2026-11-23T13:00:00Z", "version": "0.1.0",
 *  "instances": [{"expr": "example.com", "status": "start", "port": 49003, "horizon": 60}]}</pre>
 *
 * @param lastSeen ISO-8601 instant the controller last heard from the node
 * @param version  the version the node gave in its last hello ({@code unknown} if none)
 */
@JsonPropertyOrder({"node-id", "host", "status", "last_seen", "version", "instances"})
public record NodeView(
        @JsonProperty("node-id") int nodeId,
        String host,
        String status,
        @JsonProperty("last_seen") String lastSeen,
        String version,
        List<Instance> instances) {

    /**
     * An instance as listed under its node.
     *
     * @param horizon seconds of freshness given to responses that state none (0: none)
     */
    @JsonPropertyOrder({"expr", "status", "port", "horizon"})
    public record Instance(String expr, String status, int port, long horizon) {
    }
}
