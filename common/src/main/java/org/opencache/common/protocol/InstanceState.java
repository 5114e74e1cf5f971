package org.opencache.common.protocol;

/**
 * An instance as a node reports it: in {@code hello} (all its instances) and in the result of
 * {@code start}, {@code pause} and {@code stop} (the instances the command touched).
 *
 * <pre>{"expr": "example.com", "status": "start", "port": 49003, "horizon": 60}</pre>
 *
 * @param expr    canonical expression
 * @param status  lifecycle state
 * @param port    listening port (0 when stopped)
 * @param horizon default freshness in seconds for responses that state none (0: none)
 */
public record InstanceState(String expr, InstanceStatus status, int port, long horizon) {
}
