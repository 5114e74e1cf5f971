package org.opencache.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.protocol.InstanceStats;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.controller.state.Database;
import org.opencache.controller.state.InstanceRecord;
import org.opencache.controller.state.MongoControllerState;
import org.opencache.controller.state.StatRecord;
import org.opencache.testing.Ports;
import org.opencache.testing.RpcClient;
import org.opencache.testing.TestConfigs;

/**
 * A controller restart keeps nodes, instances and statistics: state written between two runs of
 * the controller (on the same embedded database files) is what the API serves afterwards.
 */
class ControllerRestartIT {
    @TempDir
    Path data;

    @Test
    void restartKeepsNodesInstancesAndStats() throws Exception {
        ControllerConfig config = TestConfigs.controller(data).build();
        Instant seen = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        try (Controller first = Controller.start(config)) {
            RpcClient rpc = new RpcClient(first.apiAddress());
            rpc.awaitReady();
        }
        try (Database database = Database.open(config)) {
            assertTrue(database.awaitReady(Duration.ofSeconds(30)));
            MongoControllerState state = new MongoControllerState(database);
            int nodeId = state.registerNode("uuid-of-node-a", "10.0.0.3", 49002, seen).nodeId();
            state.putInstance(new InstanceRecord(nodeId, "example.com", InstanceStatus.START, 49003, Duration.ZERO));
            state.recordStat(new StatRecord(nodeId, new InstanceStats("example.com", InstanceStatus.START, 49003, 1.5,
                    3, 3072, 1, 1024, 1, 1024), seen));
        }

        try (Controller second = Controller.start(config)) {
            RpcClient rpc = new RpcClient(second.apiAddress());
            rpc.awaitReady();

            JsonNode nodes = rpc.call("nodes", null).get("result");
            assertEquals(1, nodes.size(), nodes.toString());
            assertEquals("10.0.0.3", nodes.get(0).get("host").asText());
            assertEquals("up", nodes.get(0).get("status").asText());
            assertEquals(seen.toString(), nodes.get(0).get("last_seen").asText());
            assertEquals("example.com", nodes.get(0).get("instances").get(0).get("expr").asText());
            assertEquals(49003, nodes.get(0).get("instances").get(0).get("port").asInt());

            JsonNode stat = rpc.call("stat", "{\"expr\":\"example.com\",\"node-id\":1}").get("result");
            assertEquals(1, stat.get("start").asInt());
            assertEquals(3, stat.get("cache_hit").asInt());
            assertEquals(3072, stat.get("cache_hit_size").asInt());
            assertEquals(1, stat.get("cache_miss").asInt());
            assertEquals(0.75, stat.get("hit_ratio").asDouble(), 1e-9);
            assertEquals(1.5, stat.get("node_expr_pairs_seen").get(0).get("avg_load").asDouble(), 1e-9);

            // The node is known but no link reaches it: the command fails for it, precisely.
            JsonNode start = rpc.call("start", "{\"expr\":\"example.com\",\"node-id\":\"1\"}");
            assertEquals(-32001, start.get("error").get("code").asInt(), start.toString());
            JsonNode failed = start.get("error").get("data").get("failed");
            assertEquals(1, failed.get(0).get("node-id").asInt());
            assertTrue(failed.get(0).get("reason").asText().contains("not connected"), start.toString());
        }
    }

    @Test
    void unreachableDatabaseGivesAPreciseErrorWithoutHanging() throws Exception {
        ControllerConfig config = TestConfigs.controller(data).database("mongodb://127.0.0.1:" + Ports.free()).build();
        try (Controller controller = Controller.start(config)) {
            RpcClient rpc = new RpcClient(controller.apiAddress());
            Instant before = Instant.now();
            JsonNode response = rpc.call("stat", null);
            assertEquals(-32603, response.get("error").get("code").asInt(), response.toString());
            assertEquals("database unavailable", response.get("error").get("data").asText());
            assertTrue(Duration.between(before, Instant.now()).compareTo(Duration.ofSeconds(10)) < 0,
                    "answered within the driver's timeouts");
        }
    }
}
