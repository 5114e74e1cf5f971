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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
import org.opencache.testing.RpcClient;
import org.opencache.testing.TestConfigs;
import org.opencache.testing.TestOrigin;

/**
 * What a script written for the original OpenCache sends (its README is the contract), against a
 * real controller, two real nodes and a real origin on loopback: URLs without a scheme in
 * {@code fetch} and {@code seed}, {@code node} for {@code node-id}, and {@code stop}, {@code pause}
 * and {@code refresh} with the default {@code node-id} {@code *} acting on the nodes that hold the
 * expression (issue 17, items 1 to 3; docs/design.md §4).
 */
@Timeout(120)
class OriginalClientIT {
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path dir;
    TestOrigin origin;
    Controller controller;
    RpcClient rpc;
    Node nodeA;
    Node nodeB;
    int idA;
    int idB;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin().routeAll(TestOrigin.describe());
        ControllerConfig config = TestConfigs.controller(dir.resolve("db")).nodeTimeout(NODE_TIMEOUT)
                .commandTimeout(Duration.ofSeconds(2)).build();
        controller = Controller.start(config);
        rpc = new RpcClient(controller.apiAddress());
        rpc.awaitReady();
        // One after the other, so that each node's id is known.
        nodeA = Node.start(nodeConfig(config, "a", "20451,20470"));
        idA = Await.value("node a registered", Duration.ofSeconds(15), () -> nodeA.nodeId().isPresent()
                && rpc.result("nodes", null).size() == 1 ? Optional.of(nodeA.nodeId().getAsInt()) : Optional.empty());
        nodeB = Node.start(nodeConfig(config, "b", "20471,20490"));
        idB = Await.value("node b registered", Duration.ofSeconds(15), () -> nodeB.nodeId().isPresent()
                && rpc.result("nodes", null).size() == 2 ? Optional.of(nodeB.nodeId().getAsInt()) : Optional.empty());
    }

    @AfterEach
    void stop() throws Exception {
        if (nodeB != null) {
            nodeB.close();
        }
        nodeA.close();
        controller.close();
        origin.close();
    }

    private NodeConfig nodeConfig(ControllerConfig config, String name, String portRange) {
        return TestConfigs.joiningNode(dir.resolve(name), config.notificationPort(), portRange)
                .set("stat_refresh", "60s")
                .build();
    }




    private String originExpr() {
        return "127.0.0.1:" + origin.port();
    }

    /** expr → status of one node's instances, as {@code nodes} shows them. */
    private Map<String, String> instancesOf(int nodeId) {
        Map<String, String> instances = new TreeMap<>();
        for (JsonNode instance : rpc.result("nodes", "{\"node\":" + nodeId + "}").get(0).get("instances")) {
            instances.put(instance.get("expr").asText(), instance.get("status").asText());
        }
        return instances;
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The original's README form: fetch and seed URLs are {@code host[:port]/path}, no scheme. */
    @Test
    void fetchAndSeedTakeTheOriginalsUrlsWithoutAScheme() throws Exception {
        assertEquals(true, rpc.result("start", "{\"expr\":\"" + originExpr() + "\",\"node\":\"" + idA + "\"}").asBoolean());
        int port = rpc.instancePort(idA, originExpr());

        assertEquals(true, rpc.result("fetch", "{\"expr\":\"" + originExpr() + "/f1|" + originExpr() + "/f2?q=1\",\"node\":"
                + idA + "}").asBoolean());
        assertEquals(1, origin.requests("/f1"));
        HttpResponse<String> hit = get(port, "/f1");
        assertTrue(hit.headers().firstValue("Cache-Status").orElse("").contains("hit"), hit.headers().toString());
        assertEquals(1, origin.requests("/f1"), "the fetched object is served without the origin");

        assertEquals(true, rpc.result("seed", "{\"expr\":\"" + originExpr() + "/s1|http://" + originExpr() + "/s2\",\"node\":"
                + idA + "}").asBoolean());
        HttpResponse<String> alias = get(port, "/s2");
        assertEquals(0, origin.requests("/s2"), "the seeded alias never reaches the origin");
        assertEquals(TestOrigin.describe("/s1", originExpr()), alias.body());
    }

    @Test
    void stopPauseAndRefreshWithNodeIdStarActOnTheNodesThatHoldTheExpression() throws Exception {
        String onA = originExpr();
        String onB = originExpr() + "/b";
        String third = originExpr() + "/c";
        rpc.result("start", "{\"expr\":\"" + onA + "\",\"node\":" + idA + "}");
        rpc.result("start", "{\"expr\":\"" + onB + "\",\"node-id\":\"" + idB + "\"}");

        assertEquals(true, rpc.result("refresh", "{\"expr\":\"" + onA + "\"}").asBoolean());
        assertEquals(true, rpc.result("pause", "{\"expr\":\"" + onA + "\"}").asBoolean(), "node b, without it, is no failure");
        assertEquals(Map.of(onA, "pause"), instancesOf(idA));
        assertEquals(Map.of(onB, "start"), instancesOf(idB));

        // A '|'-list: each node gets the expressions it holds; one that exists nowhere is skipped.
        assertEquals(true, rpc.result("start", "{\"expr\":\"" + onA + "|" + onB + "|" + third + "\",\"node-id\":\"" + idA
                + "\"}").asBoolean(), "start creates what is missing");
        assertEquals(true, rpc.result("pause", "{\"expr\":\"" + onB + "|nowhere.example\"}").asBoolean(),
                "each node gets what it holds, what no node holds is skipped");
        assertEquals(Map.of(onB, "pause"), instancesOf(idB));
        assertEquals(Map.of(onA, "start", onB, "pause", third, "start"), instancesOf(idA));

        assertEquals(true, rpc.result("stop", "{\"expr\":\"" + onA + "\"}").asBoolean());
        assertEquals(Map.of(onA, "stop", onB, "pause", third, "start"), instancesOf(idA));
        assertEquals(Map.of(onB, "pause"), instancesOf(idB), "node b untouched");
        assertEquals(true, rpc.result("stop", "{}").asBoolean(), "'*' still means every instance of every node that is up");
        assertEquals(Map.of(onB, "stop"), instancesOf(idB));

        // Only an expression that no selected node holds at all does nothing, and says so.
        JsonNode nowhere = rpc.error("pause", "{\"expr\":\"elsewhere.example|other.example\"}", -32602);
        assertTrue(nowhere.get("data").asText().contains(
                "expr 'elsewhere.example|other.example': no node that is up has an instance of any of them"), nowhere.toString());
        JsonNode notThere = rpc.error("refresh", "{\"expr\":\"" + third + "\",\"node\":" + idB + "}", -32602);
        assertTrue(notThere.get("data").asText().contains("node-id " + idB + " has no instance of it (node-id " + idA
                + " has one)"), notThere.toString());
    }

    @Test
    void aNodeThatCannotBeReachedIsStillACommandFailure() throws Exception {
        String both = originExpr();
        String onB = originExpr() + "/b";
        rpc.result("start", "{\"expr\":\"" + both + "\"}");
        rpc.result("start", "{\"expr\":\"" + onB + "\",\"node\":" + idB + "}");
        nodeB.close();
        nodeB = null;

        JsonNode named = rpc.error("stop", "{\"expr\":\"" + both + "\",\"node-id\":\"" + idA + "|" + idB + "\"}", -32001);
        assertEquals(idA, named.get("data").get("succeeded").get(0).asInt(), named.toString());
        assertEquals(idB, named.get("data").get("failed").get(0).get("node-id").asInt(), named.toString());

        Await.until("node b down", Duration.ofSeconds(15),
                () -> "down".equals(rpc.result("nodes", "{\"node\":" + idB + "}").get(0).get("status").asText()));
        // Under '*' a node that is down is not a target: what only it holds is nowhere to act on.
        JsonNode onlyDown = rpc.error("pause", "{\"expr\":\"" + onB + "\"}", -32602);
        assertTrue(onlyDown.get("data").asText().contains("(node-id " + idB + " has one but is down)"), onlyDown.toString());
    }
}
