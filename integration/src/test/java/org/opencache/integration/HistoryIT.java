package org.opencache.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.config.NodeConfig;
import org.opencache.controller.Controller;
import org.opencache.node.Node;
import org.opencache.testing.Await;
import org.opencache.testing.Ports;
import org.opencache.testing.RpcClient;
import org.opencache.testing.TestConfigs;
import org.opencache.testing.TestOrigin;

/**
 * Issue 18 item 3: requests served by a real node's instance appear in the controller's
 * {@code history}, through the JSON-RPC API, and a node restart (counters from 0 again) neither
 * loses nor subtracts anything.
 */
@Timeout(120)
class HistoryIT {
    /** Instance ports below Linux's ephemeral range, apart from the other tests' ranges. */
    private static final String PORT_RANGE = "20441,20460";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    TestOrigin origin;
    ControllerConfig controllerConfig;
    Controller controller;
    Node node;
    RpcClient rpc;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    int nodePort;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin().routeAll(TestOrigin.describe());
        controllerConfig = TestConfigs.controller(dir.resolve("db")).build();
        controller = Controller.start(controllerConfig);
        rpc = new RpcClient(controller.apiAddress());
        rpc.awaitReady();
        nodePort = Ports.free();
        node = Node.start(nodeConfig());
        awaitNodeUp();
    }

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        controller.close();
        origin.close();
    }

    private NodeConfig nodeConfig() {
        // Reports only when asked (refresh), so the test knows which report holds which requests.
        return TestConfigs.node(dir.resolve("cache"), controllerConfig.notificationPort())
                .set("node_port", nodePort)
                .set("port_range", PORT_RANGE)
                .set("keep_alive_interval", "1s")
                .set("stat_refresh", "1h")
                .build();
    }

    private void awaitNodeUp() {
        Await.until("node up", WAIT, () -> {
            JsonNode nodes = rpc.answer("nodes", null).path("result");
            return nodes.size() == 1 && nodes.get(0).path("status").asText().equals("up");
        });
    }

    private String expr() {
        return "127.0.0.1:" + origin.port();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rpc.instancePort(expr()) + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of {@code field} over every point of the one series of the last hour, in steps of 10 s. */
    private long total(String field) {
        JsonNode result = rpc.result("history", "{\"expr\":\"" + expr() + "\",\"step\":10}");
        JsonNode series = result.get("series");
        assertEquals(1, series.size(), result.toString());
        long sum = 0;
        for (JsonNode point : series.get(0).get("points")) {
            sum += point.get(field).asLong();
        }
        return sum;
    }

    /** Asks the node for a report and waits until history holds {@code reports} of them. */
    private void refreshAndAwaitReports(int reports) {
        assertEquals(true, rpc.result("refresh", null).asBoolean());
        Await.until(reports + " reports in history", WAIT, () -> total("reports") == reports);
    }

    @Test
    void requestsAppearInHistoryAndARestartedNodeAddsToThem() throws Exception {
        assertEquals(true, rpc.result("start", "{\"expr\":\"" + expr() + "\"}").asBoolean());
        refreshAndAwaitReports(1); // the base: counts nothing

        long size = get("/a").body().length();
        get("/a");
        get("/a");
        get("/b");
        refreshAndAwaitReports(2);
        assertEquals(2, total("cache_hit"));
        assertEquals(2, total("cache_miss"));
        assertEquals(2 * size, total("cache_hit_size"));
        assertEquals(0, total("origin_error"));

        node.close();
        node = Node.start(nodeConfig());
        awaitNodeUp();
        get("/a"); // restored from disk: a hit, counted from 0 again by the new process
        refreshAndAwaitReports(3);
        assertEquals(3, total("cache_hit"), "the restart's lower counters are counted whole, not subtracted");
        assertEquals(2, total("cache_miss"));

        JsonNode perInstance = rpc.result("history", "{\"node\":1,\"by\":\"instance\",\"step\":\"1h\"}");
        JsonNode only = perInstance.get("series").get(0);
        assertEquals(1, only.get("node-id").asInt(), perInstance.toString());
        assertEquals(expr(), only.get("expr").asText());
        JsonNode point = only.get("points").get(0);
        assertEquals(3, point.get("cache_hit").asLong(), perInstance.toString());
        assertEquals(0.6, point.get("hit_ratio").asDouble(), 1e-9);
    }

    @Test
    void badParamsAreInvalidParamsOverTheWire() {
        assertTrue(rpc.error("history", "{\"step\":-5}", -32602).get("data").asText()
                .contains("'step' must be a number of seconds or a duration"));
        assertTrue(rpc.error("history", "{\"step\":\"1s\",\"from\":\"2026-11-23T00:00:00Z\",\"to\":\"2026-11-23T12:00:00Z\"}",
                -32602).get("data").asText().startsWith("step 1s gives 43200 points"));
        assertTrue(rpc.error("history", "{\"to\":\"noon\"}", -32602).get("data").asText()
                .startsWith("to: 'noon' is not an ISO-8601 instant"));
        assertTrue(rpc.error("history", "{\"by\":\"node\"}", -32602).get("data").asText().startsWith("by: 'node'"));
        assertEquals(-32602, rpc.answer("history", "{\"node-id\":7}").path("error").path("code").asInt());
    }
}
