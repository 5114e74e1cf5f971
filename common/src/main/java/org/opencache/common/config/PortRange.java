package org.opencache.common.config;

/**
 * An inclusive range of TCP ports ({@code port_range = 49003,50000}).
 *
 * @param first lowest port, 1-65535
 * @param last  highest port, {@code >= first}
 */
public record PortRange(int first, int last) {

    /** Whether {@code port} lies in the range. */
    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    /** How many ports the range holds. */
    public int size() {
        return last - first + 1;
    }
}
