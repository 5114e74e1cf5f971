package org.opencache.node.http.serve;

import java.time.Duration;
import org.eclipse.jetty.server.ServerConnector;

/**
 * What one client may hold of a node (docs/design.md §6): the time to send a request's head
 * ({@code client_header_timeout}, {@link HeaderDeadline}) and the connections one address may
 * have open ({@code max_connections_per_client}, {@link ConnectionsPerAddress}). One instance per
 * node guards every instance port, so the connection count is per node: a client's connections to
 * all instances together, as they share the node's file descriptors and workers.
 */
public final class ClientLimits {
    private final HeaderDeadline headerDeadline;
    private final ConnectionsPerAddress perAddress;

    /**
     * @param headerTimeout           how long a client may take to send a request's line and
     *                                headers, in all ({@code client_header_timeout})
     * @param maxConnectionsPerClient open connections one address may have; 0 for no limit
     *                                ({@code max_connections_per_client})
     */
    public ClientLimits(Duration headerTimeout, int maxConnectionsPerClient) {
        if (!headerTimeout.isPositive() || maxConnectionsPerClient < 0) {
            throw new IllegalArgumentException("client limits: header timeout " + headerTimeout
                    + ", connections per client " + maxConnectionsPerClient);
        }
        this.headerDeadline = new HeaderDeadline(headerTimeout);
        this.perAddress = maxConnectionsPerClient == 0 ? null : new ConnectionsPerAddress(maxConnectionsPerClient);
    }

    /** Puts the limits on every connection {@code connector} accepts from now on; returns it. */
    public <C extends ServerConnector> C guard(C connector) {
        connector.addEventListener(headerDeadline);
        if (perAddress != null) {
            connector.addEventListener(perAddress);
        }
        return connector;
    }
}
