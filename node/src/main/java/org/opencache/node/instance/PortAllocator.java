package org.opencache.node.instance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;
import org.opencache.common.config.PortRange;

/**
 * Hands out instance ports from {@code port_range}, lowest free first. A port is free when no
 * instance holds it and it can be bound on {@code node_host} right now (another program may use
 * part of the range). Thread-safe.
 */
public final class PortAllocator {
    private final PortRange range;
    private final InetAddress host;
    private final Set<Integer> taken = new HashSet<>();

    /**
     * @param range the configured {@code port_range}
     * @param host  the address instances bind to
     */
    public PortAllocator(PortRange range, InetAddress host) {
        this.range = range;
        this.host = host;
    }

    /** Takes the lowest free port; empty when the whole range is in use. */
    public synchronized OptionalInt allocate() {
        for (int port = range.first(); port <= range.last(); port++) {
            if (!taken.contains(port) && bindable(port)) {
                taken.add(port);
                return OptionalInt.of(port);
            }
        }
        return OptionalInt.empty();
    }

    /**
     * Takes a specific port (an instance restored after a restart wants its old port back);
     * false if it is outside the range, held, or not bindable.
     */
    public synchronized boolean claim(int port) {
        if (!range.contains(port) || taken.contains(port) || !bindable(port)) {
            return false;
        }
        taken.add(port);
        return true;
    }

    /**
     * Keeps a port the caller already holds (a paused instance resuming), or claims it if it is
     * not held yet (an instance restored after a restart); false if neither is possible.
     */
    public synchronized boolean claimOrHeld(int port) {
        return taken.contains(port) || claim(port);
    }

    /** Returns a port to the pool. */
    public synchronized void release(int port) {
        taken.remove(port);
    }

    private boolean bindable(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException busy) {
            return false;
        }
    }
}
