package org.opencache.common.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The params of the {@code alert} notification: a node crossed {@code alert_load} (requests/s)
 * or {@code alert_disk} (bytes).
 *
 * <pre>{"node-id": 1, "type": "load", "value": 612.5}</pre>
 *
 * @param nodeId the node raising it
 * @param type   {@value #LOAD} or {@value #DISK}
 * @param value  the measured load (requests/s) or disk use (bytes)
 */
public record Alert(@JsonProperty("node-id") int nodeId, String type, double value) {
    /** Requests per second above {@code alert_load}. */
    public static final String LOAD = "load";
    /** Disk bytes above {@code alert_disk}. */
    public static final String DISK = "disk";

    /**
     * Requires a known type and a value within the bounds of its kind: a load like a report's
     * {@code avg_load}, a disk use like a report's byte sizes (docs/design.md §5).
     */
    public Alert {
        Payloads.requireNodeId(nodeId);
        if (!LOAD.equals(type) && !DISK.equals(type)) {
            throw new IllegalArgumentException("'type' must be \"load\" or \"disk\", not "
                    + (type == null ? "missing" : "\"" + type + "\""));
        }
        if (LOAD.equals(type)) {
            Payloads.requireLoad(value, "value");
        } else if (!Double.isFinite(value) || value < 0 || value > Payloads.MAX_COUNTER) {
            throw new IllegalArgumentException("'value' must be a finite number of bytes from 0 to 2^53 ("
                    + Payloads.MAX_COUNTER + "), not " + value);
        }
    }
}
