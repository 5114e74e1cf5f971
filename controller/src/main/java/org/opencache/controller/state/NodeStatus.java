package org.opencache.controller.state;

import java.util.Locale;

/** Whether the controller currently hears from a node (keep-alives within {@code node_timeout}). */
public enum NodeStatus {
    /** Registered and sending keep-alives. */
    UP,
    /** Silent for longer than {@code node_timeout}, or said goodbye. */
    DOWN;

    /** The wire and database form, e.g. {@code "up"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire form; throws {@link IllegalArgumentException} naming the bad value. */
    public static NodeStatus fromWire(String value) {
        for (NodeStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown node status '" + value + "' (up or down)");
    }
}
