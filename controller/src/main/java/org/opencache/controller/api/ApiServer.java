package org.opencache.controller.api;

import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.opencache.controller.nodes.NodeCommander;
import org.opencache.controller.state.ControllerState;
import org.slf4j.LoggerFactory;

/**
 * The controller's HTTP server for the JSON-RPC API, on {@code controller_host:controller_port}.
 */
public final class ApiServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private ApiServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Binds and starts the endpoint; {@code port} 0 picks a free port (tests).
     *
     * @param state     what {@code stat} and {@code nodes} read and commands target
     * @param commander how commands reach the nodes
     * @throws Exception when the address cannot be bound, with Jetty's reason
     */
    public static ApiServer start(String host, int port, ControllerState state, NodeCommander commander)
            throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("api");
        // Commands wait for node acknowledgements; virtual threads keep that wait cheap.
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        server.setErrorHandler(errors);
        server.setHandler(new RpcHttpHandler(new RpcProcessor(new ApiService(state, commander))));
        server.setStopTimeout(2_000);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new ApiServer(server, connector);
    }

    /** The address the endpoint listens on. */
    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    /** Stops accepting requests and lets running ones finish (for up to two seconds). */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LoggerFactory.getLogger(ApiServer.class).warn("stopping the JSON-RPC endpoint: {}", e.toString());
        }
    }
}
