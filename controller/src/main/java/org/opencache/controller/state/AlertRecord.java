package org.opencache.controller.state;

import java.time.Instant;

/**
 * An alert a node raised; a document of the {@code alerts} collection.
 *
 * <pre>{"node-id": 1, "expr": "example.com", "type": "load", "value": 612.5, "time": ISODate(…)}</pre>
 *
 * @param nodeId the node that raised it
 * @param expr   the canonical expression of the instance it concerns; null when it concerns the
 *               whole node (a {@code disk} alert, or any alert of a node from before this field)
 * @param type   {@code load} (requests/s above {@code alert_load}) or {@code disk} (bytes above
 *               {@code alert_disk})
 * @param value  the measured load or disk use
 * @param time   when the controller received it
 */
public record AlertRecord(int nodeId, String expr, String type, double value, Instant time) {
}
