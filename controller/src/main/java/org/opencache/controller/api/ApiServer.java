package org.opencache.controller.api;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.opencache.common.auth.RefusalLog;
import org.opencache.common.config.ConfigKey;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.config.SettingException;
import org.opencache.common.tls.TlsIdentity;
import org.opencache.controller.nodes.NodeCommander;
import org.opencache.controller.state.ControllerState;
import org.slf4j.LoggerFactory;

/**
 * The controller's HTTP server for the JSON-RPC API, on {@code controller_host:controller_port}:
 * plain HTTP, or HTTPS with {@code api_tls_cert}/{@code api_tls_key} (and client certificates
 * with {@code api_tls_client_ca}).
 */
public final class ApiServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private final boolean tls;

    private ApiServer(Server server, ServerConnector connector, boolean tls) {
        this.server = server;
        this.connector = connector;
        this.tls = tls;
    }

    /** {@return the endpoint's URL, {@code https://…/} when it serves TLS} */
    public String url() {
        return (tls ? "https" : "http") + "://" + connector.getHost() + ":" + connector.getLocalPort() + "/";
    }

    /**
     * Binds and starts the endpoint on {@code controller_host:controller_port} (port 0 picks a
     * free port, for tests): HTTPS when {@code api_tls_cert} is set, with client certificates
     * when {@code api_tls_client_ca} is; every call checked against {@code api_tokens_file}
     * when it is set.
     *
     * @param config    the controller's settings
     * @param state     what {@code stat} and {@code nodes} read and commands target
     * @param commander how commands reach the nodes
     * @throws SettingException when the address cannot be bound: {@code controller_port = PORT: address in use},
     *                          or why else
     * @throws Exception        when the endpoint cannot start otherwise
     */
    public static ApiServer start(ControllerConfig config, ControllerState state, NodeCommander commander)
            throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("api");
        // Commands wait for node acknowledgements; virtual threads keep that wait cheap.
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = config.apiTls().isEmpty()
                ? new ServerConnector(server, new HttpConnectionFactory(http))
                : new ServerConnector(server, new SslConnectionFactory(sslContextFactory(config.apiTls().get()),
                        HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(secure(http)));
        connector.setHost(config.controllerHost());
        connector.setPort(config.controllerPort());
        server.addConnector(connector);
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        server.setErrorHandler(errors);
        Clock clock = Clock.systemUTC();
        ApiService api = new ApiService(state, commander, config.statRetention(), clock);
        ApiMetrics metrics = new ApiMetrics(state);
        Gatekeeper gatekeeper = new Gatekeeper(config.apiTokens(), config.timestampErrorMargin(), clock);
        server.setHandler(new RpcHttpHandler(new RpcProcessor(api, config.maxBatch(), metrics), gatekeeper,
                new RefusalLog(LoggerFactory.getLogger(RpcHttpHandler.class), clock, "JSON-RPC request"), metrics,
                config.console() ? Optional.of(ConsoleHandler.load(gatekeeper)) : Optional.empty()));
        server.setStopTimeout(2_000);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            // Jetty says only "Failed to bind to /HOST:PORT": name the key and the reason.
            Optional<SettingException> bind = SettingException.ofBind(ConfigKey.CONTROLLER_PORT,
                    config.controllerPort(), config.controllerHost() + ":" + config.controllerPort(), e);
            throw bind.isPresent() ? bind.get() : e;
        }
        return new ApiServer(server, connector, config.apiTls().isPresent());
    }

    /** The server's certificate and key; with client CAs, a client without a certificate they signed fails the handshake. */
    private static SslContextFactory.Server sslContextFactory(TlsIdentity identity) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(identity.keyStore());
        ssl.setKeyStorePassword(TlsIdentity.storePassword());
        identity.trustStore().ifPresent(trust -> {
            ssl.setTrustStore(trust);
            ssl.setNeedClientAuth(true);
        });
        return ssl;
    }

    private static HttpConfiguration secure(HttpConfiguration http) {
        HttpConfiguration https = new HttpConfiguration(http);
        https.setSecureScheme("https");
        https.addCustomizer(new SecureRequestCustomizer());
        return https;
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
