package org.opencache.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ControllerConfig;
import org.opencache.controller.Controller;
import org.opencache.testing.Await;
import org.opencache.testing.Ports;
import org.opencache.testing.RpcClient;
import org.opencache.testing.TestConfigs;
import org.opencache.testing.TestOrigin;

/**
 * A node run as its own process by {@code bin/opencache --node}, killed with SIGKILL and started
 * again: it keeps its node-id, brings its instance back on its port, and serves what it had on
 * disk as hits.
 */
class NodeProcessIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "opencache").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Process launchNode(Path config, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "--node", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        return builder.start();
    }

    @Test
    void sigkilledNodeComesBackWithItsIdInstanceAndContent() throws Exception {
        ControllerConfig controllerConfig = TestConfigs.controller(dir.resolve("db")).build();
        Path log = dir.resolve("node.log");
        try (Controller controller = Controller.start(controllerConfig);
             TestOrigin origin = new TestOrigin().routeAll(TestOrigin.describe())) {
            RpcClient rpc = new RpcClient(controller.apiAddress());
            rpc.awaitReady();
            Path config = TestConfigs.node(dir.resolve("cache"), controllerConfig.notificationPort())
                    .set("node_port", Ports.free())
                    .set("port_range", "20501,20540")
                    .set("keep_alive_interval", "1s")
                    .write(dir.resolve("node.conf"));
            String expr = "127.0.0.1:" + origin.port();

            Process node = launchNode(config, log);
            try {
                JsonNode registered = await(rpc, log, "node registered", "nodes", null);
                int nodeId = registered.get(0).get("node-id").asInt();
                assertTrue(rpc.call("start", "{\"expr\":\"" + expr + "\"}").has("result"));
                int port = rpc.call("nodes", null).get("result").get(0).get("instances").get(0).get("port").asInt();
                assertEquals(200, get(port, "/k").statusCode());

                node.destroyForcibly(); // SIGKILL: no goodbye, no flush
                assertTrue(node.waitFor(10, TimeUnit.SECONDS));
                node = launchNode(config, log);

                HttpResponse<String> again = awaitServing(port, log);
                assertTrue(again.headers().firstValue("Cache-Status").orElse("").contains("hit"),
                        again.headers() + "\n" + Files.readString(log));
                assertEquals(1, origin.requests("/k"), "disk content served after SIGKILL");
                JsonNode nodes = rpc.call("nodes", null).get("result");
                assertEquals(1, nodes.size());
                assertEquals(nodeId, nodes.get(0).get("node-id").asInt());
            } finally {
                node.destroy();
                node.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> awaitServing(int port, Path log) {
        return Await.value("instance back", Duration.ofSeconds(60), () -> {
            try {
                return Optional.of(get(port, "/k"));
            } catch (IOException notYet) {
                return Optional.empty();
            }
        }, () -> read(log));
    }

    /** The result of {@code method} once it is a non-empty array. */
    private static JsonNode await(RpcClient rpc, Path log, String what, String method, String params) {
        return Await.value(what, Duration.ofSeconds(60), () -> {
            JsonNode result = rpc.call(method, params).path("result");
            return result.isArray() && !result.isEmpty() ? Optional.of(result) : Optional.empty();
        }, () -> read(log));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
