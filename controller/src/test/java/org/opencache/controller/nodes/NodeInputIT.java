package org.opencache.controller.nodes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.json.Json;
import org.opencache.common.protocol.Hello;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.common.protocol.Message;
import org.opencache.common.protocol.MessageCodec;
import org.opencache.common.protocol.Methods;
import org.opencache.common.protocol.NodeRef;
import org.opencache.controller.Controller;
import org.opencache.testing.Await;
import org.opencache.testing.LogCapture;
import org.opencache.testing.RpcClient;
import org.opencache.testing.TestConfigs;

/**
 * What a node sends is input, not truth (docs/design.md §5, "Bounds"): a whole controller, its
 * API over HTTP and raw nodes over ZeroMQ, fed forged reports and floods; and {@code forget},
 * which removes a node for good, across a restart of the controller.
 */
@Timeout(120)
class NodeInputIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String UUID_A = "0b7e4ad2-8f0c-4a55-9d3e-2f4e51a0c00a";
    private static final String UUID_B = "0b7e4ad2-8f0c-4a55-9d3e-2f4e51a0c00b";
    private static final long MAX_COUNTER = 1L << 53;

    @TempDir
    Path dataPath;
    private ControllerConfig config;
    private Controller controller;
    private RpcClient rpc;
    private final LogCapture log = new LogCapture("org.opencache.controller");

    @BeforeEach
    void start() throws Exception {
        config = TestConfigs.controller(dataPath).build();
        startController();
    }

    @AfterEach
    void stop() {
        log.close();
        if (controller != null) {
            controller.close();
        }
    }

    private void startController() throws Exception {
        controller = Controller.start(config);
        rpc = new RpcClient(controller.apiAddress());
        rpc.awaitReady();
    }

    @Test
    void forgedReportsAreDroppedWholeLoggedOnceAndSumsStayCorrect() throws Exception {
        try (RawNode node = new RawNode(UUID_A, config.notificationPort())) {
            int id = hello(node, UUID_A, "a.com", "b.com");
            node.send(stat(id, entry("a.com", 10, 1.5), entry("b.com", 5, 0.5)));
            awaitHits(15);

            // A flood of forgeries, each with one honest entry first: nothing of any may be recorded.
            List<Consumer<ObjectNode>> forgeries = List.of(
                    e -> e.put("cache_hit", Long.MAX_VALUE),
                    e -> e.put("cache_hit_size", -1),
                    e -> e.put("avg_load", 1e308),
                    e -> e.put("cache_miss", MAX_COUNTER + 1),
                    e -> e.put("cache_object_size", Long.MIN_VALUE));
            for (int i = 0; i < 60; i++) {
                ObjectNode forged = entry("b.com", 1_000, 2);
                forgeries.get(i % forgeries.size()).accept(forged);
                node.send(stat(id, entry("a.com", 999, 9), forged));
            }
            // Reports are handled in arrival order: once this one counts, every forgery was handled. It
            // leaves b.com out, so b.com still shows the last report recorded for it: any forgery would show.
            node.send(stat(id, entry("a.com", 20, 1.5)));
            JsonNode result = awaitHits(25);

            for (String field : List.of("cache_hit", "cache_hit_size", "cache_miss", "cache_miss_size",
                    "cache_object", "cache_object_size")) {
                assertTrue(result.get(field).asLong() >= 0, field + " negative: " + result);
            }
            assertEquals(25 * 1024, result.get("cache_hit_size").asLong(), result.toString());
            assertEquals(1.5, result.get("node_expr_pairs_seen").get(0).get("avg_load").asDouble());
            assertEquals(0.5, result.get("node_expr_pairs_seen").get(1).get("avg_load").asDouble());
            List<String> drops = log.warningsContaining("dropped 'stat' from node " + id);
            assertEquals(1, drops.size(), "one warning for the whole flood: " + drops);
            assertTrue(drops.get(0).contains(UUID_A) && drops.get(0).contains("'stats[1].cache_hit' must be a count "
                    + "from 0 to 2^53"), drops.get(0));
        }
    }

    @Test
    void aFloodOfMalformedFramesGivesOneWarning() throws Exception {
        try (RawNode node = new RawNode(UUID_A, config.notificationPort())) {
            for (int i = 0; i < 50; i++) {
                node.sendFrames("not json".getBytes(UTF_8));
            }
            // The link answers in order: this hello's answer comes after every frame above was read.
            hello(node, UUID_A);

            List<String> drops = log.warningsContaining("dropped a malformed message from " + UUID_A);
            assertEquals(1, drops.size(), drops.toString());
        }
    }

    @Test
    void honestReportsAtTheBoundSumToASaturatedValueNotANegativeOne() throws Exception {
        // 2^53 per counter lets 1024 instances sum within a long; 1025 at the bound must saturate.
        String[] exprs = new String[1025];
        for (int i = 0; i < exprs.length; i++) {
            exprs[i] = "host" + i + ".example";
        }
        try (RawNode node = new RawNode(UUID_A, config.notificationPort())) {
            int id = hello(node, UUID_A, exprs);
            ObjectNode[] entries = new ObjectNode[exprs.length];
            for (int i = 0; i < exprs.length; i++) {
                entries[i] = entry(exprs[i], MAX_COUNTER, 1).put("cache_miss", MAX_COUNTER)
                        .put("cache_hit_size", MAX_COUNTER);
            }
            node.send(stat(id, entries));

            JsonNode result = Await.value("all 1025 reports recorded", WAIT.multipliedBy(3), () -> {
                JsonNode stat = rpc.call("stat", null).get("result");
                return stat.get("total_response_count").asInt() == exprs.length
                        ? Optional.of(stat) : Optional.empty();
            });
            assertEquals(Long.MAX_VALUE, result.get("cache_hit").asLong(), result.get("cache_hit").toString());
            assertEquals(Long.MAX_VALUE, result.get("cache_miss").asLong());
            assertEquals(Long.MAX_VALUE, result.get("cache_hit_size").asLong());
            assertEquals(1025 * 1024L, result.get("cache_miss_size").asLong());
            assertEquals(0.5, result.get("hit_ratio").asDouble(), 1e-9);
        }
    }

    @Test
    void forgetRemovesADownNodeAndItsRecordsForGoodAndRefusesOthers() throws Exception {
        int a;
        int b;
        try (RawNode nodeA = new RawNode(UUID_A, config.notificationPort());
             RawNode nodeB = new RawNode(UUID_B, config.notificationPort())) {
            a = hello(nodeA, UUID_A, "a.com");
            b = hello(nodeB, UUID_B, "a.com");
            nodeA.send(stat(a, entry("a.com", 7, 1)));
            nodeB.send(stat(b, entry("a.com", 3, 1)));
            awaitHits(10);

            assertError(rpc.call("forget", "{\"node-id\":" + a + "}"), "node-id " + a + " is up; stop the node first");
            assertError(rpc.call("forget", "{\"node-id\":\"" + a + "|" + b + "\"}"), "node-id " + a + ", " + b + " are up");
            assertError(rpc.call("forget", "{\"node-id\":99}"), "unknown node-id 99 (known: " + a + ", " + b + ")");
            assertError(rpc.call("forget", "{\"node-id\":\"*\"}"), "forget does not take node-id '*'");
            assertError(rpc.call("forget", "{}"), "forget needs 'node-id'");
            assertError(rpc.call("forget", "{\"node-id\":true}"), "a node id or a '|'-list of node ids");
            assertEquals(2, rpc.call("nodes", null).get("result").size(), "nothing forgotten by refused calls");

            Message.Response bye = nodeA.call(new Message.Request(2, Methods.GOODBYE, MessageCodec.params(
                    new NodeRef(a))));
            assertInstanceOf(Message.Result.class, bye);
            assertEquals("down", rpc.call("nodes", "{\"node-id\":" + a + "}").get("result").get(0).get("status")
                    .asText());

            JsonNode forgotten = rpc.call("forget", "{\"node-id\":" + a + "}");
            assertEquals(Json.mapper().createArrayNode().add(a), forgotten.get("result"), forgotten.toString());
            assertOnlyNode(b, 3);
            assertEquals(1, log.infosContaining("forgot node " + a + " (" + UUID_A).size());
            assertError(rpc.call("forget", "{\"node-id\":" + a + "}"), "unknown node-id " + a);
        }

        // Gone from the database, not just from memory.
        controller.close();
        controller = null;
        startController();
        assertOnlyNode(b, 3);

        // A forgotten node that comes back is a new node.
        try (RawNode nodeA = new RawNode(UUID_A, config.notificationPort())) {
            int again = hello(nodeA, UUID_A, "a.com");
            assertEquals(b + 1, again, "a forgotten node registers anew, with a new node-id");
            assertEquals(List.of(b, again), ids(rpc.call("nodes", null).get("result")));
        }
    }

    private void assertOnlyNode(int id, long hits) throws Exception {
        assertEquals(List.of(id), ids(rpc.call("nodes", null).get("result")));
        JsonNode stat = rpc.call("stat", null).get("result");
        assertEquals(Json.mapper().createArrayNode().add(id), stat.get("node_seen"), stat.toString());
        assertEquals(hits, stat.get("cache_hit").asLong(), stat.toString());
    }

    private static List<Integer> ids(JsonNode nodes) {
        return StreamSupport.stream(nodes.spliterator(), false)
                .map(node -> node.get("node-id").asInt()).toList();
    }

    private static void assertError(JsonNode response, String dataContains) {
        assertEquals(-32602, response.path("error").path("code").asInt(), response.toString());
        assertTrue(response.path("error").path("data").asText().contains(dataContains),
                "data should say '" + dataContains + "': " + response);
    }

    private JsonNode awaitHits(long hits) {
        return Await.value("stat cache_hit = " + hits, WAIT, () -> {
            JsonNode stat = rpc.call("stat", null).get("result");
            return stat.get("cache_hit").asLong() == hits ? Optional.of(stat) : Optional.empty();
        }, () -> rpc.call("stat", null).toString());
    }

    /** Says hello with started instances for {@code exprs}; returns the node-id. */
    private static int hello(RawNode node, String uuid, String... exprs) throws Exception {
        List<InstanceState> instances = new ArrayList<>();
        for (int i = 0; i < exprs.length; i++) {
            instances.add(new InstanceState(exprs[i], InstanceStatus.START, 49003 + i % 1000, 0));
        }
        // A hello of many instances is many database writes: wait as long as for any recorded effect.
        Message.Response answer = node.call(new Message.Request(1, Methods.HELLO,
                MessageCodec.params(new Hello(uuid, "10.0.0.3", 49002, "test", instances))), WAIT);
        return MessageCodec.read(assertInstanceOf(Message.Result.class, answer).result(), NodeRef.class, "hello")
                .nodeId();
    }

    /** One instance's counters as JSON, so a test can put there what no record would hold. */
    private static ObjectNode entry(String expr, long hits, double load) {
        return Json.mapper().createObjectNode().put("expr", expr).put("status", "start").put("port", 49003)
                .put("avg_load", load).put("cache_hit", hits).put("cache_hit_size", hits * 1024)
                .put("cache_miss", 1).put("cache_miss_size", 1024).put("cache_object", 1)
                .put("cache_object_size", 1024);
    }

    private static Message.Notification stat(int nodeId, ObjectNode... entries) {
        ObjectNode params = Json.mapper().createObjectNode().put("node-id", nodeId);
        ArrayNode stats = params.putArray("stats");
        for (ObjectNode entry : entries) {
            stats.add(entry);
        }
        return new Message.Notification(Methods.STAT, params);
    }
}
