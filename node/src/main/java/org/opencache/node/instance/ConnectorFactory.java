package org.opencache.node.instance;

import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Makes the connector of an instance's port. The node passes the HTTP layer's sendfile-capable
 * connector; this package only configures and opens it.
 */
@FunctionalInterface
public interface ConnectorFactory {

    /** A connector on {@code server} that speaks through {@code factory}; host and port are set later. */
    ServerConnector create(Server server, ConnectionFactory factory);
}
