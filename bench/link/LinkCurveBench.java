import ch.qos.logback.classic.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opencache.common.config.ConfigReader;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.config.LoggingConfig;
import org.opencache.common.config.NodeConfig;
import org.opencache.common.expr.ExpressionList;
import org.opencache.common.keys.ControllerLinkKeys;
import org.opencache.common.keys.LinkKeys;
import org.opencache.common.protocol.StatCommand;
import org.opencache.controller.nodes.NodeLinkServer;
import org.opencache.controller.state.Database;
import org.opencache.controller.state.EmbeddedMongo;
import org.opencache.controller.state.MongoControllerState;
import org.opencache.node.link.ControllerLink;
import org.opencache.node.link.NodeIdentity;
import org.slf4j.LoggerFactory;

/**
 * Command round trip over the node link, plain against CURVE (bench/link-curve.sh runs it): one
 * controller link server and one node link per mode, in one JVM on loopback, the controller
 * sending `stat` commands (controller -> node -> acknowledgement) one after another. The modes
 * are measured in alternating rounds so that both see the same machine drift.
 *
 * Arguments: ROUNDS CALLS_PER_ROUND WORK_DIR.
 */
public final class LinkCurveBench {
    private static final StatCommand STAT = new StatCommand(ExpressionList.all());

    record Side(String name, NodeLinkServer server, ControllerLink node, Database database, int nodeId) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int calls = Integer.parseInt(args[1]);
        Path work = Path.of(args[2]);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);

        EmbeddedMongo mongo = EmbeddedMongo.start(work.resolve("db"));
        LinkKeys.Written controllerKeys = LinkKeys.write(work.resolve("keys/controller"));
        LinkKeys.Written nodeKeys = LinkKeys.write(work.resolve("keys/node"));
        Side plain = side("plain", mongo, work, 0, Optional.empty(), Map.of());
        Side curve = side("curve", mongo, work, 1,
                Optional.of(new ControllerLinkKeys(controllerKeys.pair(), java.util.Set.of(nodeKeys.pair().publicKey()))),
                Map.of("link_secret_key", nodeKeys.secretFile().toString(),
                        "controller_public_key", controllerKeys.publicFile().toString()));

        Map<String, List<Long>> micros = new HashMap<>();
        for (Side side : List.of(plain, curve)) {
            measure(side, calls); // warm-up: JIT, connection, CURVE session
            micros.put(side.name(), new ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            for (Side side : round % 2 == 0 ? List.of(plain, curve) : List.of(curve, plain)) {
                micros.get(side.name()).addAll(measure(side, calls));
            }
        }
        System.out.printf("command round trip (stat, controller -> node -> ack), %d rounds x %d calls per mode%n",
                rounds, calls);
        long[] plainP = percentiles(micros.get("plain"));
        long[] curveP = percentiles(micros.get("curve"));
        System.out.printf("  plain  p50 %6d us  p90 %6d us  p99 %6d us%n", plainP[0], plainP[1], plainP[2]);
        System.out.printf("  curve  p50 %6d us  p90 %6d us  p99 %6d us%n", curveP[0], curveP[1], curveP[2]);
        System.out.printf("  curve/plain  p50 %.2f  p90 %.2f  p99 %.2f%n", (double) curveP[0] / plainP[0],
                (double) curveP[1] / plainP[1], (double) curveP[2] / plainP[2]);

        for (Side side : List.of(plain, curve)) {
            side.node().close();
            side.server().close();
            side.database().close();
        }
        mongo.close();
    }

    private static Side side(String name, EmbeddedMongo mongo, Path work, int index,
            Optional<ControllerLinkKeys> keys, Map<String, String> nodeKeys) throws Exception {
        int port = freePort();
        ControllerConfig config = new ControllerConfig("127.0.0.1", 0, port, Optional.of(mongo.connectionString()),
                "bench_" + name, work.resolve("db"), Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofHours(1), keys, new LoggingConfig(Optional.empty(), 2), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(30), 100, true);
        Database database = Database.open(config);
        if (!database.awaitReady(Duration.ofSeconds(20))) {
            throw new IllegalStateException("database not ready");
        }
        NodeLinkServer server = NodeLinkServer.start(config, new MongoControllerState(database), Clock.systemUTC());
        Path cache = Files.createDirectories(work.resolve("node-" + name));
        Map<String, String> values = new HashMap<>(nodeKeys);
        values.put("controller_host", "127.0.0.1");
        values.put("notification_port", String.valueOf(port));
        values.put("cache_path", cache.toString());
        NodeConfig nodeConfig = ConfigReader.node(values, name + " node");
        ControllerLink node = ControllerLink.start(nodeConfig, NodeIdentity.load(cache), 49002 + index, List::of,
                command -> true, Clock.systemUTC());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!node.isConnected()) { // a benchmark, not a test: a plain wait for the hello is fine here
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " node did not connect");
            }
            Thread.sleep(20);
        }
        return new Side(name, server, node, database, node.nodeId().orElseThrow());
    }

    private static List<Long> measure(Side side, int calls) {
        List<Long> micros = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            long before = System.nanoTime();
            if (!side.server().send(List.of(side.nodeId()), STAT).allSucceeded()) {
                throw new IllegalStateException(side.name() + ": a command failed");
            }
            micros.add((System.nanoTime() - before) / 1_000);
        }
        return micros;
    }

    private static long[] percentiles(List<Long> samples) {
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return new long[] {sorted.get(sorted.size() / 2), sorted.get(sorted.size() * 90 / 100),
            sorted.get(sorted.size() * 99 / 100)};
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
