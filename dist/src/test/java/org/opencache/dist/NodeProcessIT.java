package org.opencache.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ControllerConfig;
import org.opencache.controller.Controller;
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
            Path config = dir.resolve("node.conf");
            Files.writeString(config, String.join("\n", "[config]",
                    "node_host = 127.0.0.1",
                    "node_port = " + Ports.free(),
                    "port_range = 20501,20540",
                    "controller_host = 127.0.0.1",
                    "notification_port = " + controllerConfig.notificationPort(),
                    "cache_path = " + dir.resolve("cache"),
                    "keep_alive_interval = 1s", ""));
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

    private static HttpResponse<String> awaitServing(int port, Path log) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            try {
                return get(port, "/k");
            } catch (java.io.IOException notYet) {
                assertTrue(Instant.now().isBefore(deadline), () -> "instance not back within 60 s\n" + read(log));
                Thread.sleep(100);
            }
        }
    }

    private static JsonNode await(RpcClient rpc, Path log, String what, String method, String params) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            JsonNode result = rpc.call(method, params).path("result");
            if (result.isArray() && !result.isEmpty()) {
                return result;
            }
            assertTrue(Instant.now().isBefore(deadline), () -> what + " within 60 s\n" + read(log));
            Thread.sleep(100);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
