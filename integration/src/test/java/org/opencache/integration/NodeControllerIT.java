package org.opencache.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
 * A real controller, a real node and a real origin on loopback, driven only through the
 * JSON-RPC API, as an orchestration script would (issue: node, ZeroMQ link, cache instances).
 */
class NodeControllerIT {
    /** Instance ports below Linux's ephemeral range, so test clients do not hold them. */
    private static final String PORT_RANGE = "20401,20440";

    @TempDir
    Path dir;
    TestOrigin origin;
    ControllerConfig controllerConfig;
    Controller controller;
    Node node;
    RpcClient rpc;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin().routeAll(TestOrigin.describe());
        controllerConfig = TestConfigs.controller(dir.resolve("db")).build();
        controller = Controller.start(controllerConfig);
        rpc = new RpcClient(controller.apiAddress());
        rpc.awaitReady();
        node = Node.start(nodeConfig());
        await("node registered", () -> rpc.answer("nodes", null).path("result").size() == 1);
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
        return TestConfigs.joiningNode(dir.resolve("cache"), controllerConfig.notificationPort(), PORT_RANGE)
                .set("stat_refresh", "60s")
                .build();
    }



    private String originExpr() {
        return "127.0.0.1:" + origin.port();
    }

    private HttpResponse<String> get(int port, String path, String host) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (host != null) {
            request.header("Host", host); // needs -Djdk.httpclient.allowRestrictedHeaders=host
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void await(String what, Await.Condition condition) {
        Await.until(what, Duration.ofSeconds(15), condition);
    }

    @Test
    void missThenHitThenStatAfterRefresh() throws Exception {
        assertEquals(true, rpc.result("start", "{\"expr\":\"" + originExpr() + "\"}").asBoolean());
        int port = rpc.instancePort(originExpr());

        HttpResponse<String> miss = get(port, "/a", null);
        HttpResponse<String> hit = get(port, "/a", null);
        assertEquals(200, miss.statusCode());
        assertEquals(miss.body(), hit.body());
        assertTrue(miss.headers().firstValue("Cache-Status").orElse("").contains("fwd=miss"), miss.headers().toString());
        assertTrue(hit.headers().firstValue("Cache-Status").orElse("").contains("hit"), hit.headers().toString());
        assertEquals(1, origin.requests("/a"), "origin asked once");

        assertEquals(true, rpc.result("refresh", null).asBoolean());
        long size = miss.body().length();
        await("fresh stats", () -> rpc.result("stat", null).get("cache_hit").asInt() == 1);
        JsonNode stat = rpc.result("stat", "{\"expr\":\"" + originExpr() + "\"}");
        assertEquals(1, stat.get("cache_miss").asInt());
        assertEquals(size, stat.get("cache_hit_size").asLong());
        assertEquals(size, stat.get("cache_miss_size").asLong());
        assertEquals(1, stat.get("cache_object").asInt());
        assertEquals(1, stat.get("start").asInt());
        assertEquals(0.5, stat.get("hit_ratio").asDouble(), 1e-9);
    }

    /** Issue 17 item 14: an origin that does not resolve is an outage, not a run of misses. */
    @Test
    void unresolvableOriginIsCountedAsOriginErrorsNotMisses() throws Exception {
        String expr = "nonexistent.invalid"; // RFC 6761 §6.4: never resolves
        rpc.result("start", "{\"expr\":\"" + expr + "\"}");
        int port = rpc.instancePort(expr);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = get(port, "/x" + i, null);
            assertEquals(502, response.statusCode());
            assertEquals("OpenCache; fwd=miss; detail=origin-unreachable",
                    response.headers().firstValue("Cache-Status").orElse(""));
        }

        rpc.result("refresh", null);
        await("origin errors reported", () -> rpc.result("stat", null).get("origin_error").asInt() == 3);
        JsonNode stat = rpc.result("stat", "{\"expr\":\"" + expr + "\"}");
        assertEquals(0, stat.get("cache_miss").asInt());
        assertEquals(0, stat.get("cache_hit").asInt());
        assertEquals(0.0, stat.get("hit_ratio").asDouble());

        String metrics = get(node.statusAddress().getPort(), "/metrics", null).body();
        assertTrue(metrics.contains("opencache_origin_errors_total{expr=\"" + expr + "\"} 3.0"), metrics);
        assertTrue(metrics.contains("opencache_cache_misses_total{expr=\"" + expr + "\"} 0.0"), metrics);
    }

    @Test
    void pauseKeepsContentAndStopDeletesIt() throws Exception {
        rpc.result("start", "{\"expr\":\"" + originExpr() + "\"}");
        int port = rpc.instancePort(originExpr());
        get(port, "/p", null);

        rpc.result("pause", "{\"expr\":\"" + originExpr() + "\"}");
        assertThrows(ConnectException.class, () -> get(port, "/p", null), "paused: port closed");
        assertEquals("pause", rpc.result("nodes", null).get(0).get("instances").get(0).get("status").asText());

        rpc.result("start", "{\"expr\":\"" + originExpr() + "\"}");
        HttpResponse<String> resumed = get(rpc.instancePort(originExpr()), "/p", null);
        assertTrue(resumed.headers().firstValue("Cache-Status").orElse("").contains("hit"), resumed.headers().toString());
        assertEquals(1, origin.requests("/p"), "content kept across pause");

        rpc.result("stop", "{\"expr\":\"" + originExpr() + "\"}");
        assertThrows(ConnectException.class, () -> get(port, "/p", null), "stopped: port closed");
        rpc.result("start", "{\"expr\":\"" + originExpr() + "\"}");
        get(rpc.instancePort(originExpr()), "/p", null);
        assertEquals(2, origin.requests("/p"), "content deleted by stop");
    }

    @Test
    void fetchPrecachesAndSeedSharesOneObject() throws Exception {
        rpc.result("start", "{\"expr\":\"" + originExpr() + "\"}");
        int port = rpc.instancePort(originExpr());
        rpc.result("fetch", "{\"expr\":\"http://" + originExpr() + "/f1|http://" + originExpr() + "/f2\"}");
        assertEquals(1, origin.requests("/f1"));
        assertTrue(get(port, "/f1", null).headers().firstValue("Cache-Status").orElse("").contains("hit"));
        assertEquals(1, origin.requests("/f1"), "fetched object served without the origin");

        rpc.result("seed", "{\"expr\":\"http://" + originExpr() + "/s1|http://" + originExpr() + "/s2|http://"
                + originExpr() + "/s3\"}");
        assertEquals(1, origin.requests("/s1"));
        HttpResponse<String> s3 = get(port, "/s3", null);
        assertEquals(0, origin.requests("/s3"), "seeded alias never reaches the origin");
        assertEquals(TestOrigin.describe("/s1", originExpr()), s3.body());

        JsonNode unknown = rpc.answer("fetch", "{\"expr\":\"http://elsewhere.example/x\"}");
        assertEquals(-32001, unknown.get("error").get("code").asInt(), unknown.toString());
        assertTrue(unknown.toString().contains("no started instance"), unknown.toString());
    }

    /** Issue 18 item 1: {@code purge} by URL and by prefix, answered per node with the count dropped. */
    @Test
    void purgeDropsUrlsAndPrefixesOnTheNodes() throws Exception {
        rpc.result("start", "{\"expr\":\"" + originExpr() + "\"}");
        int port = rpc.instancePort(originExpr());
        String nodeId = rpc.result("nodes", null).get(0).get("node-id").asText();
        for (String path : List.of("/p/1", "/p/2", "/p/3", "/q/1")) {
            get(port, path, null);
        }

        JsonNode byUrl = rpc.result("purge", "{\"url\":\"" + originExpr() + "/p/1|" + originExpr() + "/never\"}");
        assertEquals("{\"" + nodeId + "\":1}", byUrl.toString());
        JsonNode byPrefix = rpc.result("purge", "{\"prefix\":\"http://" + originExpr() + "/p/\", \"expr\":\""
                + originExpr() + "\", \"node\":" + nodeId + "}");
        assertEquals("{\"" + nodeId + "\":2}", byPrefix.toString());

        assertTrue(get(port, "/p/2", null).headers().firstValue("Cache-Status").orElse("").contains("fwd=miss"));
        assertEquals(2, origin.requests("/p/2"), "purged: asked from the origin again");
        assertTrue(get(port, "/q/1", null).headers().firstValue("Cache-Status").orElse("").contains("hit"));
        assertEquals(1, origin.requests("/q/1"), "outside the prefix: still stored");

        assertTrue(rpc.error("purge", "{\"url\":\"" + originExpr() + "/a\", \"prefix\":\"" + originExpr() + "/\"}",
                -32602).toString().contains("not both"));
        assertTrue(rpc.error("purge", null, -32602).toString().contains("purge needs 'url'"));
        assertTrue(rpc.error("purge", "{\"url\":\"ftp://x/a\"}", -32602).toString().contains("url: "));
        assertTrue(rpc.error("purge", "{\"url\":\"x.example/a\", \"expr\":\"elsewhere.example\"}", -32602)
                .toString().contains("no node that is up has an instance"));
        HttpResponse<String> httpPurge = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/1"))
                .method("PURGE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, httpPurge.statusCode(), "PURGE over HTTP needs purge_allow, empty by default");
    }

    /**
     * A node's {@code *} refuses origins on its own machine (docs/design.md §6, "Origin addresses"),
     * and every test origin is on this machine: the wildcard's routing by {@code Host} is proven in
     * RoutingIT (node) and across real hosts in RedirectE2EIT (dist). Here: the refusal end to end.
     */
    @Test
    void wildcardInstanceRefusesOriginsOnTheNodesOwnMachine() throws Exception {
        rpc.result("start", "{\"expr\":\"*\"}");
        int port = rpc.instancePort("*");

        HttpResponse<String> byAddress = get(port, "/w", "127.0.0.1:" + origin.port());
        HttpResponse<String> byName = get(port, "/w", "localhost:" + origin.port());
        JsonNode fetch = rpc.answer("fetch", "{\"expr\":\"http://" + originExpr() + "/w\"}");

        assertEquals(403, byAddress.statusCode());
        assertEquals("OpenCache; fwd=miss; detail=origin-loopback", byAddress.headers().firstValue("Cache-Status").orElse(""));
        assertEquals(403, byName.statusCode());
        assertEquals(-32001, fetch.get("error").get("code").asInt(), fetch.toString());
        assertTrue(fetch.toString().contains("127.0.0.1 is a loopback address"), fetch.toString());
        assertEquals(0, origin.requests(), "the origin never saw a request");
    }

    @Test
    void hundredConcurrentFirstRequestsMakeOneOriginRequest() throws Exception {
        rpc.result("start", "{\"expr\":\"" + originExpr() + "\"}");
        int port = rpc.instancePort(originExpr());
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/storm?body-size=65536"))
                .timeout(Duration.ofSeconds(20)).build();
        for (int i = 0; i < 100; i++) {
            responses.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertEquals(65536, response.get().body().length());
        }
        assertEquals(1, origin.requests("/storm"));
    }

    @Test
    void nodeRestartKeepsItsIdInstancesAndContent() throws Exception {
        rpc.result("start", "{\"expr\":\"" + originExpr() + "\"}");
        int port = rpc.instancePort(originExpr());
        get(port, "/r", null);
        int nodeId = rpc.result("nodes", null).get(0).get("node-id").asInt();

        node.close();
        node = Node.start(nodeConfig());
        HttpResponse<String> again = get(port, "/r", null);
        assertTrue(again.headers().firstValue("Cache-Status").orElse("").contains("hit"), again.headers().toString());
        assertEquals(1, origin.requests("/r"), "disk content served after restart");
        await("node back", () -> rpc.result("nodes", null).get(0).get("status").asText().equals("up"));
        assertEquals(1, rpc.result("nodes", null).size());
        assertEquals(nodeId, rpc.result("nodes", null).get(0).get("node-id").asInt());
    }

    @Test
    void controllerRestartIsHealedByTheNode() throws Exception {
        rpc.result("start", "{\"expr\":\"" + originExpr() + "\"}");
        int port = rpc.instancePort(originExpr());
        controller.close();
        assertEquals(200, get(port, "/c", null).statusCode(), "serving goes on without the controller");

        controller = Controller.start(controllerConfig);
        rpc = new RpcClient(controller.apiAddress());
        rpc.awaitReady();
        Instant restarted = Instant.now();
        // The stored view survives the restart anyway; a command succeeding proves the node is back.
        await("node reachable again", () -> rpc.answer("pause", "{\"expr\":\"" + originExpr() + "\"}").has("result"));
        assertTrue(Duration.between(restarted, Instant.now()).compareTo(Duration.ofSeconds(3)) < 0,
                "whole again within 2 x keep_alive_interval (+1 s)");
        JsonNode nodes = rpc.result("nodes", null);
        assertEquals("up", nodes.get(0).get("status").asText());
        assertEquals("pause", nodes.get(0).get("instances").get(0).get("status").asText());
    }

    @Test
    void statusAndMetricsDescribeTheNode() throws Exception {
        rpc.result("start", "{\"expr\":\"" + originExpr() + "\"}");
        int port = rpc.instancePort(originExpr());
        get(port, "/m", null);
        get(port, "/m", null);
        int statusPort = node.statusAddress().getPort();

        await("counted", () -> node.instances().get(0).counters().requests() == 2);
        JsonNode status = org.opencache.common.json.Json.mapper().readTree(get(statusPort, "/status", null).body());
        assertEquals(rpc.result("nodes", null).get(0).get("node-id").asInt(), status.get("node-id").asInt());
        assertEquals("connected", status.get("controller").asText());
        assertEquals(1, status.get("cache_items").asInt());
        assertEquals(originExpr(), status.get("instances").get(0).get("expr").asText());
        assertEquals(1, status.get("instances").get(0).get("cache_hit").asInt());

        String metrics = get(statusPort, "/metrics", null).body();
        assertTrue(metrics.contains("opencache_cache_hits_total{expr=\"" + originExpr() + "\"} 1.0"), metrics);
        assertTrue(metrics.contains("opencache_cache_misses_total{expr=\"" + originExpr() + "\"} 1.0"), metrics);
        assertTrue(metrics.contains("opencache_controller_connected 1.0"), metrics);
        assertEquals(404, get(statusPort, "/nothing", null).statusCode());
    }
}
