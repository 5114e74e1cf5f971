package org.opencache.node.instance;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Makes the connector of an instance's port. The node passes the HTTP layer's: sendfile-capable,
 * speaking HTTP/1.1 as the HTTP layer configures it, guarded by its limits on clients; this package
 * only sets its address and opens it.
 */
@FunctionalInterface
public interface ConnectorFactory {

    /** A connector on {@code server}; host and port are set later. */
    ServerConnector create(Server server);
}
