package org.opencache.controller.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.opencache.controller.state.AlertRecord;

/**
 * One element of the {@code alerts} result.
 *
 * <pre>{"node-id": 1, "expr": "example.com", "type": "load", "value": 612.5, "time": "2026-11-23T13:00:00.123Z"}</pre>
 *
 * @param expr the instance the alert concerns; absent for an alert about the whole node
 * @param time ISO-8601 instant the controller received it, as {@code last_seen} in {@code nodes}
 */
@JsonPropertyOrder({"node-id", "expr", "type", "value", "time"})
public record AlertView(
        @JsonProperty("node-id") int nodeId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String expr,
        String type,
        double value,
        String time) {

    static AlertView of(AlertRecord alert) {
        return new AlertView(alert.nodeId(), alert.expr(), alert.type(), alert.value(), alert.time().toString());
    }
}
