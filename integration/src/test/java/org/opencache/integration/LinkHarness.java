package org.opencache.integration;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.bson.Document;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.config.NodeConfig;
import org.opencache.common.keys.ControllerLinkKeys;
import org.opencache.common.protocol.InstanceState;
import org.opencache.controller.nodes.NodeLinkServer;
import org.opencache.controller.state.Database;
import org.opencache.controller.state.EmbeddedMongo;
import org.opencache.controller.state.MongoControllerState;
import org.opencache.controller.state.NodeRecord;
import org.opencache.controller.state.NodeStatus;
import org.opencache.node.link.ControllerLink;
import org.opencache.node.link.NodeIdentity;
import org.opencache.testing.Await;
import org.opencache.testing.TestConfigs;

/**
 * Both ends of the link in one process: the controller's {@link NodeLinkServer} over the real
 * embedded database, and any number of {@link ControllerLink}s, all on loopback with short
 * timings (keep-alive 400 ms, node timeout 1 s, command timeout 1 s).
 */
final class LinkHarness implements AutoCloseable {
    static final Duration KEEP_ALIVE = Duration.ofMillis(400);
    static final Duration NODE_TIMEOUT = Duration.ofSeconds(1);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Path root;
    private final EmbeddedMongo mongo;
    private final ControllerConfig controllerConfig;
    private final List<ControllerLink> links = new ArrayList<>();
    private final List<RecordingHandler> handlers = new ArrayList<>();
    private Database database;
    private MongoControllerState state;
    private NodeLinkServer server;
    private boolean databaseStopped;

    LinkHarness(Path root) throws Exception {
        this(root, Optional.empty());
    }

    /** A harness whose controller secures the link with {@code keys} (CURVE) when present. */
    LinkHarness(Path root, Optional<ControllerLinkKeys> keys) throws Exception {
        this.root = root;
        this.mongo = EmbeddedMongo.start(root.resolve("database"));
        TestConfigs.ControllerBuilder controller = TestConfigs.controller(root.resolve("database"))
                .database(mongo.connectionString()).nodeTimeout(NODE_TIMEOUT).commandTimeout(COMMAND_TIMEOUT);
        keys.ifPresent(controller::linkKeys);
        this.controllerConfig = controller.build();
        startController();
    }

    /** Connects to the database and starts the link server on the harness's port. */
    void startController() throws Exception {
        database = Database.open(controllerConfig);
        assertTrue(database.awaitReady(Duration.ofSeconds(20)), "database ready");
        state = new MongoControllerState(database);
        server = NodeLinkServer.start(controllerConfig, state, Clock.systemUTC());
    }

    /** Stops the link server and disconnects from the database (which keeps its data). */
    void stopController() {
        server.close();
        database.close();
    }

    /** Stops the database server itself, as an outage would; the controller keeps running. */
    void stopDatabase() {
        databaseStopped = true;
        mongo.close();
    }

    MongoControllerState state() {
        return state;
    }

    NodeLinkServer server() {
        return server;
    }

    /** The port of the controller's end of the link. */
    int notificationPort() {
        return controllerConfig.notificationPort();
    }

    /** Starts a node named {@code name} (its cache path, hence its uuid, is the name's) with fixed instances. */
    ControllerLink node(String name, List<InstanceState> instances, RecordingHandler handler) throws IOException {
        return node(name, () -> instances, handler);
    }

    /** Starts a node whose instances {@code instances} tells at each hello. */
    ControllerLink node(String name, Supplier<List<InstanceState>> instances, RecordingHandler handler)
            throws IOException {
        return node(name, notificationPort(), instances, handler);
    }

    /** Starts a node that reaches the controller's link at {@code port} (a {@link TcpRelay}'s, say). */
    ControllerLink node(String name, int port, List<InstanceState> instances, RecordingHandler handler)
            throws IOException {
        return node(name, port, () -> instances, handler);
    }

    private ControllerLink node(String name, int port, Supplier<List<InstanceState>> instances,
            RecordingHandler handler) throws IOException {
        return node(nodeConfig(port, cachePath(name)), instances, handler);
    }

    /** Starts a node configured by {@code config} (its uuid is kept under its cache path). */
    ControllerLink node(NodeConfig config, Supplier<List<InstanceState>> instances, RecordingHandler handler)
            throws IOException {
        ControllerLink link = ControllerLink.start(config, NodeIdentity.load(config.cachePath()), 49002,
                instances, handler, Clock.systemUTC());
        links.add(link);
        handlers.add(handler);
        return link;
    }

    /** The cache path of the node named {@code name}. */
    Path cachePath(String name) {
        return root.resolve("nodes").resolve(name);
    }

    /** Waits until {@code link} is connected; returns its node-id. */
    static int awaitConnected(ControllerLink link) {
        Await.until("node connected", CONNECT_TIMEOUT, link::isConnected);
        return link.nodeId().orElseThrow();
    }

    /** The node's status as the database has it. */
    NodeStatus status(int nodeId) {
        return state.node(nodeId).map(NodeRecord::status).orElseThrow();
    }

    /** Every stored alert, oldest first, without {@code _id}. */
    List<Document> alerts() {
        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            return client.getDatabase("opencache").getCollection("alerts").find()
                    .sort(Sorts.ascending("time")).projection(Projections.excludeId()).into(new ArrayList<>());
        }
    }

    /**
     * A node on loopback reporting to the controller at {@code notificationPort}, keeping alive
     * every 400 ms; every other key at its default.
     */
    static NodeConfig nodeConfig(int notificationPort, Path cachePath) {
        return nodeKeys(notificationPort, cachePath).build();
    }

    /** The keys of {@link #nodeConfig}, for a test to add its own. */
    static TestConfigs.NodeBuilder nodeKeys(int notificationPort, Path cachePath) {
        return TestConfigs.node(cachePath, notificationPort).set("keep_alive_interval", KEEP_ALIVE);
    }

    @Override
    public void close() {
        handlers.forEach(RecordingHandler::release);
        links.forEach(ControllerLink::close);
        stopController();
        if (!databaseStopped) {
            mongo.close();
        }
    }
}
