package org.opencache.controller.state;

/**
 * What names one instance across {@code instances}, {@code stats} and {@code stats_history}: its
 * node and its canonical expression. History outlives the instance record, so a key may name an
 * instance that no longer exists.
 */
public record InstanceKey(int nodeId, String expr) {
}
