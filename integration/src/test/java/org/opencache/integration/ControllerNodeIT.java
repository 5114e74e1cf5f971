package org.opencache.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opencache.integration.LinkHarness.awaitConnected;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.json.Json;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.controller.Controller;
import org.opencache.node.link.ControllerLink;
import org.opencache.node.link.NodeIdentity;
import org.opencache.testing.Await;
import org.opencache.testing.TestConfigs;
import org.slf4j.LoggerFactory;

/**
 * The whole controller (JSON-RPC API, link, embedded database) and a node: an operator's command
 * reaches the node, and a controller restart on the same data is healed by the node alone.
 */
@Timeout(120)
class ControllerNodeIT {
    private static final Duration HEAL_TIMEOUT = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path root;

    @Test
    void theApiReachesTheNodeAndAControllerRestartIsHealedByTheNode() throws Exception {
        ControllerConfig config = TestConfigs.controller(root.resolve("data")).build();
        Path cachePath = root.resolve("node");
        InstanceState existing = new InstanceState("a.example", InstanceStatus.PAUSE, 49004, 0);
        AtomicReference<List<InstanceState>> instances = new AtomicReference<>(List.of(existing));
        RecordingHandler handler = RecordingHandler.prompt();

        Controller first = Controller.start(config);
        try (ControllerLink node = ControllerLink.start(LinkHarness.nodeConfig(config.notificationPort(), cachePath),
                NodeIdentity.load(cachePath), 49002, instances::get, handler, Clock.systemUTC())) {
            try {
                int id = awaitConnected(node);
                JsonNode started = call(first, "start", params().put("expr", "example.com").put("node-id", "" + id));
                assertEquals(true, started.path("result").asBoolean(), started.toString());
                assertEquals(List.of("start example.com"), handler.commands());
                assertEquals("[{\"expr\":\"a.example\",\"status\":\"pause\",\"port\":49004,\"horizon\":0},"
                        + "{\"expr\":\"example.com\",\"status\":\"start\",\"port\":49003,\"horizon\":0}]",
                        instancesOf(first));
            } finally {
                first.close();
            }

            // While the controller is away the node starts another instance; it tells the new controller.
            instances.set(List.of(existing, new InstanceState("c.example", InstanceStatus.START, 49005, 0)));
            long restarted = System.nanoTime();
            try (Controller second = Controller.start(config)) {
                String expected = "[{\"expr\":\"a.example\",\"status\":\"pause\",\"port\":49004,\"horizon\":0},"
                        + "{\"expr\":\"c.example\",\"status\":\"start\",\"port\":49005,\"horizon\":0}]";
                Await.until("node up again with its instances", HEAL_TIMEOUT,
                        () -> node.isConnected() && expected.equals(instancesOf(second)));
                LoggerFactory.getLogger(ControllerNodeIT.class).info("restarted controller healed in {} ms",
                        Duration.ofNanos(System.nanoTime() - restarted).toMillis());
            }
        }
    }

    /** The instances of the one node, as {@code nodes} shows them; null until the node is up. */
    private String instancesOf(Controller controller) {
        JsonNode nodes = call(controller, "nodes", params()).path("result");
        if (nodes.size() != 1 || !"up".equals(nodes.get(0).path("status").asText())) {
            return null;
        }
        return nodes.get(0).path("instances").toString();
    }

    private JsonNode call(Controller controller, String method, ObjectNode params) {
        ObjectNode body = params().put("jsonrpc", "2.0").put("id", 1).put("method", method);
        body.set("params", params);
        URI endpoint = URI.create("http://127.0.0.1:" + controller.apiAddress().getPort() + "/");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode params() {
        return Json.mapper().createObjectNode();
    }
}
