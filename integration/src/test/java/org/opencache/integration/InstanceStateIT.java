package org.opencache.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ControllerConfig;
import org.opencache.controller.Controller;
import org.opencache.node.Node;
import org.opencache.testing.Await;
import org.opencache.testing.RpcClient;
import org.opencache.testing.TestConfigs;
import org.opencache.testing.TestOrigin;

/**
 * What the controller says about instances, checked against a real node over the real ZeroMQ
 * link (issue 17, items 4, 5, 6 and 17): {@code stat} under a node that is down, alerts naming
 * their instance, {@code nodes} forgetting long-stopped instances, and a re-{@code start} with a
 * new horizon applied in place.
 */
class InstanceStateIT {
    /** Instance ports below Linux's ephemeral range, apart from NodeControllerIT's. */
    private static final String PORT_RANGE = "20441,20460";

    @TempDir
    Path dir;
    TestOrigin origin;
    Controller controller;
    Node node;
    RpcClient rpc;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Starts an origin, a controller and one node, with the given changes to their configurations. */
    private void start(UnaryOperator<TestConfigs.ControllerBuilder> controllerKeys, Map<String, String> nodeKeys)
            throws Exception {
        origin = new TestOrigin().routeAll(TestOrigin.describe()).route("/plain", TestOrigin.ok("no freshness"));
        ControllerConfig config = controllerKeys.apply(TestConfigs.controller(dir.resolve("db"))).build();
        controller = Controller.start(config);
        rpc = new RpcClient(controller.apiAddress());
        rpc.awaitReady();
        TestConfigs.NodeBuilder nodeConfig = TestConfigs.joiningNode(dir.resolve("cache"), config.notificationPort(),
                PORT_RANGE)
                .set("stat_refresh", "60s");
        nodeKeys.forEach(nodeConfig::set);
        node = Node.start(nodeConfig.build());
        await("node registered", () -> rpc.result("nodes", null).size() == 1);
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (controller != null) {
            controller.close();
        }
        if (origin != null) {
            origin.close();
        }
    }


    private String originExpr() {
        return "127.0.0.1:" + origin.port();
    }

    private static void await(String what, Await.Condition condition) {
        Await.until(what, Duration.ofSeconds(15), condition);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The only instance of the only node, as {@code nodes} lists it. */
    private JsonNode onlyInstance() {
        JsonNode instances = rpc.result("nodes", null).get(0).get("instances");
        assertEquals(1, instances.size(), instances.toString());
        return instances.get(0);
    }

    @Test
    void statShowsTheInstancesOfANodeThatIsDownAsDownNotStarted() throws Exception {
        start(UnaryOperator.identity(), Map.of());
        rpc.result("start", "{\"expr\":\"" + originExpr() + "\"}");
        assertEquals(1, rpc.result("stat", null).get("start").asInt());

        node.close(); // says goodbye: the controller marks it down at once
        node = null;

        await("node down", () -> rpc.result("nodes", null).get(0).get("status").asText().equals("down"));
        JsonNode stat = rpc.result("stat", null);
        assertEquals(0, stat.get("start").asInt(), stat.toString());
        JsonNode pair = stat.get("node_expr_pairs_seen").get(0);
        assertEquals("down", pair.get("status").asText(), stat.toString());
        assertEquals(originExpr(), pair.get("expr").asText());
        assertEquals(0.0, pair.get("avg_load").asDouble());
        assertEquals(1, stat.get("total_node_count").asInt(), "a down node is still seen");
    }

    @Test
    void aLoadAlertNamesItsInstanceAndAlertsFilterBySinceNodeAndExpr() throws Exception {
        start(UnaryOperator.identity(), Map.of("alert_load", "1", "stat_refresh", "500ms"));
        Instant before = Instant.now().minusSeconds(1);
        rpc.result("start", "{\"expr\":\"" + originExpr() + "\"}");
        int port = onlyInstance().get("port").asInt();

        // Keep the load above 1 request/s until a periodic report has measured it.
        await("load alert", () -> {
            for (int i = 0; i < 5; i++) {
                assertEquals(200, get(port, "/a").statusCode());
            }
            return rpc.result("alerts", null).size() > 0;
        });

        JsonNode alert = rpc.result("alerts", null).get(0);
        assertEquals(1, alert.get("node-id").asInt(), alert.toString());
        assertEquals(originExpr(), alert.get("expr").asText(), alert.toString());
        assertEquals("load", alert.get("type").asText());
        assertTrue(alert.get("value").asDouble() > 1, alert.toString());
        Instant time = Instant.parse(alert.get("time").asText());
        assertTrue(!time.isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)), alert.toString());

        assertEquals(alert, rpc.result("alerts", "{\"expr\":\"" + originExpr() + "\",\"node-id\":1,\"since\":\""
                + time + "\"}").get(0));
        assertEquals(0, rpc.result("alerts", "{\"expr\":\"other.example\"}").size());
        assertEquals(0, rpc.result("alerts", "{\"since\":\"" + Instant.now().plusSeconds(3600) + "\"}").size());
    }

    @Test
    void nodesLeavesOutInstancesStoppedLongerThanTheRetentionUnlessAskedForAll() throws Exception {
        start(controller -> controller.statRetention(Duration.ofSeconds(2)), Map.of());
        rpc.result("start", "{\"expr\":\"" + originExpr() + "\"}");
        rpc.result("stop", "{\"expr\":\"" + originExpr() + "\"}");
        assertEquals("stop", onlyInstance().get("status").asText(), "just stopped: still listed");

        await("stopped instance left out", () -> rpc.result("nodes", null).get(0).get("instances").isEmpty());

        JsonNode all = rpc.result("nodes", "{\"all\":true}").get(0).get("instances");
        assertEquals(1, all.size(), all.toString());
        assertEquals("stop", all.get(0).get("status").asText());
        assertEquals(originExpr(), all.get(0).get("expr").asText());

        rpc.result("start", "{\"expr\":\"" + originExpr() + "\"}");
        assertEquals("start", onlyInstance().get("status").asText(), "started again, it is listed again");
    }

    @Test
    void reStartingWithAnotherHorizonKeepsThePortAndItsConnectionsAndShowsTheHorizon() throws Exception {
        start(UnaryOperator.identity(), Map.of());
        rpc.result("start", "{\"expr\":\"" + originExpr() + "\"}");
        JsonNode before = onlyInstance();
        int port = before.get("port").asInt();
        assertEquals(0, before.get("horizon").asLong(), before.toString());

        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            client.setSoTimeout(10_000);
            assertTrue(exchange(client, "/a").startsWith("HTTP/1.1 200"));

            rpc.result("start", "{\"expr\":\"" + originExpr() + "\",\"horizon\":60}");

            // The same persistent connection (RFC 9112 §9.3) is still served: the port was not reopened.
            assertTrue(exchange(client, "/a").startsWith("HTTP/1.1 200"));
        }
        JsonNode after = onlyInstance();
        assertEquals(port, after.get("port").asInt(), after.toString());
        assertEquals(60, after.get("horizon").asLong(), after.toString());
        assertEquals("start", after.get("status").asText());

        // RFC 9111 §4.2.2: the new horizon is the heuristic lifetime of a response stating none.
        assertEquals(200, get(port, "/plain").statusCode());
        assertEquals(200, get(port, "/plain").statusCode());
        assertEquals(1, origin.requests("/plain"), "the second request is a hit under the 60 s horizon");
    }

    /** One keep-alive GET on {@code client}; returns the response up to the end of its body (Content-Length). */
    private String exchange(Socket client, String path) throws IOException {
        client.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + originExpr() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        InputStream in = client.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.append((char) b);
        }
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        assertTrue(length.find(), head.toString());
        assertFalse(head.toString().toLowerCase(java.util.Locale.ROOT).contains("connection: close"), head.toString());
        byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
        return head + new String(body, StandardCharsets.UTF_8);
    }
}
