package org.opencache.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencache.common.json.Json;
import org.opencache.testing.RpcClient;
import org.opencache.testing.TestConfigs;

/**
 * The controller started for real (embedded database, random port) and driven by raw JSON-RPC over
 * HTTP, including every kind of malformed request.
 */
class ControllerApiIT {
    @TempDir
    static Path data;
    static Controller controller;
    static RpcClient rpc;

    @BeforeAll
    static void start() throws Exception {
        controller = Controller.start(TestConfigs.controller(data).build());
        rpc = new RpcClient(controller.apiAddress());
        rpc.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        controller.close();
    }

    private static void assertError(JsonNode response, int code, String dataContains) {
        assertEquals(code, response.path("error").path("code").asInt(), response.toString());
        assertTrue(response.path("error").path("data").toString().contains(dataContains),
                "data should mention '" + dataContains + "': " + response);
        assertFalse(response.toString().contains("Exception"), "no Java exception in a response: " + response);
    }

    @Test
    void statOnEmptyStateHasEveryField() throws Exception {
        JsonNode result = rpc.call("stat", "{}").get("result");
        for (String field : List.of("start", "stop", "pause", "cache_miss", "cache_miss_size", "cache_hit",
                "cache_hit_size", "cache_object", "cache_object_size", "total_node_count", "total_expr_count",
                "total_response_count", "node_seen", "expr_seen", "node_expr_pairs_seen", "hit_ratio",
                "byte_hit_ratio")) {
            assertTrue(result.has(field), "stat result lacks " + field + ": " + result);
        }
        assertEquals(0, result.get("cache_hit").asInt());
        assertTrue(result.get("node_seen").isArray());
    }

    @Test
    void statWithoutParamsAndWithWildcardsAgree() throws Exception {
        assertEquals(rpc.call("stat", null).get("result"),
                rpc.call("stat", "{\"expr\":\"*\",\"node-id\":\"*\"}").get("result"));
    }

    @Test
    void nodesIsEmptyBeforeAnyNodeRegisters() throws Exception {
        assertEquals(Json.mapper().createArrayNode(), rpc.call("nodes", null).get("result"));
    }

    @Test
    void rpcPathWorksToo() throws Exception {
        JsonNode response = RpcClient.parse(rpc.post("/rpc", "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"nodes\"}"));
        assertEquals("x", response.get("id").asText());
        assertTrue(response.get("result").isArray());
    }

    @ParameterizedTest(name = "{0} with no nodes")
    @CsvSource({"start", "stop", "pause", "refresh"})
    void commandsWithNoRegisteredNodeSaySo(String method) throws Exception {
        assertError(rpc.call(method, "{\"expr\":\"example.com\"}"), -32602, "no node has registered");
    }

    @Test
    void commandsToUnknownNodesAreInvalidParams() throws Exception {
        assertError(rpc.call("start", "{\"expr\":\"example.com\",\"node-id\":\"7\"}"), -32602, "unknown node-id 7");
        assertError(rpc.call("stat", "{\"node-id\":\"3|4\"}"), -32602, "unknown node-id 3, 4");
        assertError(rpc.call("nodes", "{\"node-id\":9}"), -32602, "unknown node-id 9");
    }

    @Test
    void badExpressionsSayWhichPartIsWrong() throws Exception {
        assertError(rpc.call("start", "{\"expr\":\"a.com|b.com:99999\"}"), -32602, "99999");
        assertError(rpc.call("stat", "{\"expr\":\"a.com||b.com\"}"), -32602, "expr");
        assertError(rpc.call("fetch", "{\"expr\":\"*\"}"), -32602, "expr");
        assertError(rpc.call("seed", "{}"), -32602, "fully resolved URLs");
        assertError(rpc.call("start", "{\"node-id\":\"one\"}"), -32602, "node-id");
    }

    @Test
    void nonJsonBodyIsParseError() throws Exception {
        JsonNode response = RpcClient.parse(rpc.post("/", "{\"jsonrpc\": \"2.0\", \"method\": "));
        assertError(response, -32700, "not valid JSON");
        assertTrue(response.get("id").isNull());
        assertError(RpcClient.parse(rpc.post("/", "{} {}")), -32700, "not valid JSON");
        assertError(RpcClient.parse(rpc.post("/", "")), -32600, "empty");
    }

    @Test
    void envelopeErrorsAreInvalidRequest() throws Exception {
        assertError(RpcClient.parse(rpc.post("/", "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"stat\"}")),
                -32600, "\\\"2.0\\\"");
        assertError(RpcClient.parse(rpc.post("/", "{\"id\":1,\"method\":\"stat\"}")), -32600, "missing");
        assertError(RpcClient.parse(rpc.post("/", "{\"jsonrpc\":\"2.0\",\"id\":1}")), -32600, "'method' is missing");
        assertError(RpcClient.parse(rpc.post("/", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}")), -32600, "string");
        assertError(RpcClient.parse(rpc.post("/", "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"stat\"}")),
                -32600, "'id'");
        assertError(RpcClient.parse(rpc.post("/", "42")), -32600, "JSON object");
        assertError(RpcClient.parse(rpc.post("/", "[]")), -32600, "at least one");
    }

    @Test
    void unknownMethodListsTheMethods() throws Exception {
        JsonNode response = rpc.call("ban", null);
        assertError(response, -32601, "unknown method 'ban'");
        assertError(response, -32601, "pause, purge, refresh");
        assertError(response, -32601, "start, stat, stop");
        assertEquals(1, response.get("id").asInt());
    }

    @Test
    void paramsOfTheWrongShapeOrTypeAreInvalidParams() throws Exception {
        assertError(rpc.call("stat", "{\"expr\":5}"), -32602, "'expr' must be a string");
        assertError(rpc.call("stat", "[\"*\"]"), -32602, "object of named parameters");
        assertError(rpc.call("stat", "{\"exp\":\"*\"}"), -32602, "unknown parameter 'exp'");
        assertError(rpc.call("start", "{\"expr\":\"a.com\",\"horizon\":-5}"), -32602, "'horizon'");
        assertError(rpc.call("start", "{\"expr\":\"a.com\",\"horizon\":\"30s\"}"), -32602, "'horizon'");
        assertError(rpc.call("nodes", "{\"node-id\":true}"), -32602, "'node-id'");
    }

    @Test
    void batchesAnswerEachRequestAndSkipNotifications() throws Exception {
        String batch = "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nodes\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"stat\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nope\"},"
                + "7]";
        JsonNode responses = RpcClient.parse(rpc.post("/", batch));
        assertEquals(3, responses.size(), responses.toString());
        assertTrue(responses.get(0).get("result").isArray());
        assertEquals(-32601, responses.get(1).get("error").get("code").asInt());
        assertEquals(-32600, responses.get(2).get("error").get("code").asInt());
    }

    /** A batch is capped by max_batch (100 by default): one body, one bounded amount of work. */
    @Test
    void aBatchOverMaxBatchIsRefusedWholeAndOneAtTheLimitIsAnswered() throws Exception {
        String request = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nodes\"}";
        JsonNode refused = RpcClient.parse(rpc.post("/", "[" + String.join(",", Collections.nCopies(101, request)) + "]"));
        assertTrue(refused.isObject(), "one error object, not an array of answers: " + refused);
        assertError(refused, -32600, "batch of 101 requests exceeds max_batch = 100");
        assertTrue(refused.get("id").isNull());

        JsonNode answered = RpcClient.parse(rpc.post("/", "[" + String.join(",", Collections.nCopies(100, request)) + "]"));
        assertEquals(100, answered.size(), answered.toString());
    }

    /** Whatever the client sent, an error's data echoes at most 200 characters of it. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " ; ", value = {
        "a long method name      ; {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"LONG\"}",
        "a long parameter name   ; {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"stat\",\"params\":{\"LONG\":1}}",
        "a long jsonrpc version  ; {\"jsonrpc\":\"LONG\",\"id\":1,\"method\":\"stat\"}",
        "a long number           ; {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"stat\",\"params\":{\"expr\":1LONG}}",
        "a long expression       ; {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"stat\",\"params\":{\"expr\":\"a.com:LONG\"}}",
        "a long URL              ; {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"fetch\",\"params\":{\"expr\":\"a.com/LONG b\"}}",
        "a long bad token        ; {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":xLONG}",
        "many unknown node-ids   ; {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"stat\",\"params\":{\"node-id\":\"IDS\"}}",
        "conflicting node params ; {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nodes\",\"params\":{\"node\":\"IDS\",\"node-id\":\"1\"}}",
    })
    void errorDataEchoesAtMost200CharactersOfTheInput(String what, String template) throws Exception {
        String ids = java.util.stream.IntStream.rangeClosed(1, 3000).mapToObj(String::valueOf)
                .collect(java.util.stream.Collectors.joining("|"));
        String body = template.replace("LONG", "7".repeat(100_000)).replace("IDS", ids);
        JsonNode error = RpcClient.parse(rpc.post("/", body)).path("error");
        assertTrue(error.has("code"), what + ": " + error);
        String data = error.path("data").asText();
        assertTrue(data.length() <= 400, what + " gave " + data.length() + " characters: " + data);
        assertFalse(data.contains("7".repeat(201)), what + ": " + data);
        assertFalse(data.contains(ids.substring(0, 201)), what + ": " + data);
    }

    /** The original OpenCache client sends 'node' where this API says 'node-id'; every method takes both. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " ; ", value = {
        "start   ; ,\"expr\":\"example.com\"",
        "stop    ; ,\"expr\":\"example.com\"",
        "pause   ; ''",
        "fetch   ; ,\"expr\":\"example.com/a\"",
        "seed    ; ,\"expr\":\"example.com/a|example.com/b\"",
        "refresh ; ''",
        "stat    ; ''",
        "nodes   ; ''",
        "forget  ; ''",
    })
    void nodeIsAnAliasOfNodeIdInEveryMethod(String method, String moreParams) throws Exception {
        assertError(rpc.call(method, "{\"node\":\"9\"" + moreParams + "}"), -32602, "unknown node-id 9");
        assertError(rpc.call(method, "{\"node\":9" + moreParams + "}"), -32602, "unknown node-id 9");
        assertError(rpc.call(method, "{\"node\":\"9\",\"node-id\":9" + moreParams + "}"), -32602, "unknown node-id 9");
        assertError(rpc.call(method, "{\"node\":null,\"node-id\":\"9\"" + moreParams + "}"), -32602, "unknown node-id 9");
    }

    @Test
    void nodeAndNodeIdThatDifferAreInvalidParams() throws Exception {
        assertError(rpc.call("stat", "{\"node-id\":\"1\",\"node\":\"2\"}"), -32602,
                "'node-id' and 'node' are the same parameter");
        assertError(rpc.call("stop", "{\"node\":\"*\",\"node-id\":\"1\"}"), -32602, "differ: \\\"*\\\" and \\\"1\\\"");
        assertEquals(rpc.call("stat", null).get("result"), rpc.call("stat", "{\"node\":\"*\",\"node-id\":\"*\"}").get("result"));
        assertError(rpc.call("nodes", "{\"node\":true}"), -32602, "parameter 'node' must be a node id");
    }

    /** fetch and seed take the original OpenCache's scheme-less URLs: no expr error, on to the nodes. */
    @Test
    void fetchAndSeedTakeUrlsWithoutAScheme() throws Exception {
        assertError(rpc.call("fetch", "{\"expr\":\"example.com/a\"}"), -32602, "no node has registered");
        assertError(rpc.call("seed", "{\"expr\":\"example.com:8080/a|http://example.com:8080/b\"}"), -32602,
                "no node has registered");
        assertError(rpc.call("fetch", "{\"expr\":\"https://example.com/a\"}"), -32602, "only plain HTTP is cached");
        assertError(rpc.call("start", "{\"expr\":\"ftp://example.com\"}"), -32602, "only plain HTTP is cached");
    }

    @Test
    void notificationsGetNoContent() throws Exception {
        HttpResponse<String> response = rpc.post("/", "{\"jsonrpc\":\"2.0\",\"method\":\"stat\"}");
        assertEquals(204, response.statusCode());
        assertEquals("", response.body());
    }

    @Test
    void oversizeBodyIsRefused() throws Exception {
        String huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"stat\",\"params\":{\"expr\":\""
                + "a".repeat(1024 * 1024) + "\"}}";
        HttpResponse<String> response = rpc.post("/", huge);
        assertEquals(413, response.statusCode());
        assertError(Json.mapper().readTree(response.body()), -32600, "larger than 1048576 bytes");
    }

    @Test
    void anotherMethodThanPostIsNotAllowedWithAHint() throws Exception {
        // GET / is the web console (ConsoleEndpointIT); what else is not POST still gets the hint.
        HttpResponse<String> response = rpc.get("/rpc");
        assertEquals(405, response.statusCode());
        assertEquals("POST", response.headers().firstValue("Allow").orElse(""));
        assertTrue(response.body().contains("curl"), response.body());
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        assertEquals(404, rpc.post("/api/v2", "{}").statusCode());
    }

    @Test
    void deeplyNestedGarbageIsAnErrorNotA500() throws Exception {
        HttpResponse<String> response = rpc.post("/", "[".repeat(5000) + "]".repeat(5000));
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("\"error\""), response.body());
        assertFalse(response.body().contains("Exception"), response.body());
    }

    @Test
    void alertsAndNodesCheckTheirNewParams() throws Exception {
        JsonNode none = rpc.call("alerts", "{\"since\":\"2026-11-23T13:00:00Z\",\"expr\":\"a.com\"}");
        assertEquals(0, none.path("result").size(), none.toString());
        assertTrue(none.get("result").isArray(), none.toString());
        assertTrue(rpc.call("alerts", null).get("result").isArray());
        assertError(rpc.call("alerts", "{\"since\":\"yesterday\"}"), -32602,
                "since: 'yesterday' is not an ISO-8601 instant such as 2026-11-23T13:00:00Z");
        assertError(rpc.call("alerts", "{\"since\":1700000000}"), -32602, "'since' must be a string");
        assertError(rpc.call("alerts", "{\"node-id\":7}"), -32602, "unknown node-id 7");
        assertError(rpc.call("alerts", "{\"expr\":\"exa mple.com\"}"), -32602, "expr: ");
        assertTrue(rpc.call("nodes", "{\"all\":true}").get("result").isArray());
        assertError(rpc.call("nodes", "{\"all\":\"yes\"}"), -32602, "'all' must be true or false");
    }
}
