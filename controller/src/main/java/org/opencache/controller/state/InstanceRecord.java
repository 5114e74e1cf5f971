package org.opencache.controller.state;

import java.time.Duration;
import java.time.Instant;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStatus;

/**
 * One cache instance on one node; a document of the {@code instances} collection, keyed by
 * ({@code node-id}, {@code expr}).
 *
 * <pre>{"node-id": 1, "expr": "example.com/videos", "status": "start", "port": 49003, "horizon": 0}</pre>
 *
 * @param nodeId    the node running it
 * @param expr      the canonical expression it serves
 * @param status    its lifecycle state
 * @param port      the port it listens on (0 when it has none, e.g. stopped)
 * @param horizon   freshness given to responses that carry none ({@link Duration#ZERO}: none)
 * @param stoppedAt when the controller learnt it was stopped; null unless stopped, and null for
 *                  one stopped before the controller kept this time
 */
public record InstanceRecord(int nodeId, String expr, InstanceStatus status, int port, Duration horizon,
                             Instant stoppedAt) {

    /** Only a stopped instance has a stop time. */
    public InstanceRecord {
        stoppedAt = status == InstanceStatus.STOP ? stoppedAt : null;
    }

    /** An instance without a stop time. */
    public InstanceRecord(int nodeId, String expr, InstanceStatus status, int port, Duration horizon) {
        this(nodeId, expr, status, port, horizon, null);
    }

    /** The record of an instance as node {@code nodeId} reported it (in {@code hello} or a command's result). */
    public static InstanceRecord reported(int nodeId, InstanceState instance) {
        return reported(nodeId, instance, null);
    }

    /**
     * The record of an instance as node {@code nodeId} reported it at {@code now}: a stopped one
     * is stamped {@code now} ({@link ControllerState#putInstance} keeps an earlier stamp).
     */
    public static InstanceRecord reported(int nodeId, InstanceState instance, Instant now) {
        return new InstanceRecord(nodeId, instance.expr(), instance.status(), instance.port(),
                Duration.ofSeconds(instance.horizon()), now);
    }
}
