package org.opencache.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.opencache.common.expr.Expression;
import org.opencache.common.expr.InvalidExpressionException;

/**
 * The params of the {@code alert} notification: a node crossed {@code alert_load} (requests/s)
 * or {@code alert_disk} (bytes).
 *
 * <pre>{"node-id": 1, "type": "load", "value": 612.5, "expr": "example.com"}</pre>
 *
 * @param nodeId the node raising it
 * @param type   {@value #LOAD} or {@value #DISK}
 * @param value  the measured load (requests/s) or disk use (bytes)
 * @param expr   the canonical expression of the instance it concerns (a {@code load} alert);
 *               null, and absent on the wire, for an alert about the whole node (a {@code disk}
 *               alert), which is also how a node from before this field reads
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(@JsonProperty("node-id") int nodeId, String type, double value, String expr) {
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
        if (expr != null) {
            try {
                expr = Expression.parse(expr).canonical();
            } catch (InvalidExpressionException e) {
                throw new IllegalArgumentException("'expr' must be an expression: " + e.getMessage(), e);
            }
        }
    }

    /** An alert about the whole node. */
    public Alert(int nodeId, String type, double value) {
        this(nodeId, type, value, null);
    }
}
