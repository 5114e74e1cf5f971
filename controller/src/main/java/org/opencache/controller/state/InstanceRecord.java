package org.opencache.controller.state;

import java.time.Duration;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStatus;

/**
 * One cache instance on one node; a document of the {@code instances} collection, keyed by
 * ({@code node-id}, {@code expr}).
 *
 * <pre>{"node-id": 1, "expr": "example.com/videos", "status": "start", "port": 49003, "horizon": 0}</pre>
 *
 * @param nodeId  the node running it
 * @param expr    the canonical expression it serves
 * @param status  its lifecycle state
 * @param port    the port it listens on (0 when it has none, e.g. stopped)
 * @param horizon freshness given to responses that carry none ({@link Duration#ZERO}: none)
 */
public record InstanceRecord(int nodeId, String expr, InstanceStatus status, int port, Duration horizon) {

    /** The record of an instance as node {@code nodeId} reported it (in {@code hello} or a command's result). */
    public static InstanceRecord reported(int nodeId, InstanceState instance) {
        return new InstanceRecord(nodeId, instance.expr(), instance.status(), instance.port(),
                Duration.ofSeconds(instance.horizon()));
    }
}
