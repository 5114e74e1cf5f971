package org.opencache.common.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencache.common.expr.ExpressionList;
import org.opencache.common.expr.ResolvedUrlList;
import org.opencache.common.json.Json;

class MessageCodecTest {
    private static final InstanceState RUNNING = new InstanceState("example.com/videos", InstanceStatus.START, 49003, 60);
    private static final InstanceStats COUNTERS = new InstanceStats("example.com", InstanceStatus.PAUSE, 49004, 12.5,
            10, 10240, 1, 1024, 7, 1, 1024);

    static Stream<Message> everyMessage() {
        ObjectNode start = Json.mapper().createObjectNode().put("expr", "a.example|b.example").put("horizon", 60);
        return Stream.of(
                new Message.Request(1, Methods.HELLO, MessageCodec.params(
                        new Hello("5f0c-uuid", "10.0.0.3", 49002, "0.1.0", List.of(RUNNING)))),
                new Message.Request(2, Methods.KEEP_ALIVE, MessageCodec.params(new NodeRef(1))),
                new Message.Request(3, Methods.GOODBYE, MessageCodec.params(new NodeRef(1))),
                new Message.Request(Long.MAX_VALUE, Methods.START, start),
                new Message.Request(5, Methods.FETCH, Json.mapper().createObjectNode()
                        .put("expr", "http://example.com/a|http://example.com/b")),
                new Message.Notification(Methods.STAT, MessageCodec.params(new StatReport(1, List.of(COUNTERS)))),
                new Message.Notification(Methods.ALERT, MessageCodec.params(new Alert(1, Alert.DISK, 9.5e9))),
                new Message.Notification(Methods.ALERT, MessageCodec.params(new Alert(1, Alert.LOAD, 612.5, "a.example"))),
                new Message.Result(1, MessageCodec.tree(new NodeRef(7))),
                new Message.Result(2, BooleanNode.TRUE),
                new Message.Result(4, MessageCodec.tree(new InstancesResult(List.of(RUNNING)))),
                new Message.Failure(5, RpcError.invalidParams("expr: 'exa mple' is not a host")),
                new Message.Failure(6, new RpcError(-32001, "Command failed", Json.mapper().createObjectNode()
                        .put("why", "disk full"))),
                new Message.Failure(7, new RpcError(RpcError.UNKNOWN_NODE, "Unknown node: say hello first", null)));
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    void roundTrips(Message message) throws MalformedMessageException {
        byte[] frame = MessageCodec.encode(message);
        Message decoded = MessageCodec.decode(frame);
        assertEquals(message.getClass(), decoded.getClass());
        // Trees compare by node type (a long 60 is not an int 60), so compare what goes on the wire.
        assertEquals(new String(frame, UTF_8), new String(MessageCodec.encode(decoded), UTF_8));
        // A message read from the wire is equal to itself read again.
        assertEquals(decoded, MessageCodec.decode(MessageCodec.encode(decoded)));
    }

    @Test
    void writesJsonRpcShape() {
        ObjectNode params = MessageCodec.params(new NodeRef(1));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"keep_alive\",\"params\":{\"node-id\":1}}",
                new String(MessageCodec.encode(new Message.Request(7, Methods.KEEP_ALIVE, params)), UTF_8));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32603,\"message\":\"Internal error\"}}",
                new String(MessageCodec.encode(new Message.Failure(7, new RpcError(-32603, "Internal error", null))),
                        UTF_8));
    }

    @Test
    void payloadsRoundTripWithTheirWireNames() throws MalformedMessageException {
        Hello hello = new Hello("uuid", "10.0.0.3", 49002, "0.1.0", List.of(RUNNING));
        ObjectNode params = MessageCodec.params(hello);
        assertEquals(49002, params.get("node_port").intValue());
        assertEquals("start", params.get("instances").get(0).get("status").textValue());
        assertEquals(hello, MessageCodec.read(params, Hello.class, "hello params"));

        StatReport report = new StatReport(2, List.of(COUNTERS));
        ObjectNode stat = MessageCodec.params(report);
        assertEquals(2, stat.get("node-id").intValue());
        assertEquals(12.5, stat.get("stats").get(0).get("avg_load").doubleValue());
        assertEquals(report, MessageCodec.read(stat, StatReport.class, "stat params"));
    }

    @Test
    void missingOptionalPartsOfAPayloadHaveDefaults() throws MalformedMessageException {
        Hello hello = MessageCodec.read(json("{\"uuid\":\"u\",\"host\":\"h\",\"node_port\":1}"), Hello.class, "hello");
        assertEquals(new Hello("u", "h", 1, "unknown", List.of()), hello);
    }

    static Stream<Arguments> malformedFrames() {
        return Stream.of(
                arguments("not json", "not JSON: Unrecognized token 'not': was expecting (JSON String, Number, "
                        + "Array, Object or token 'null', 'true' or 'false')"),
                arguments("", "empty frame"),
                arguments("[1]", "not a JSON object but an array"),
                arguments("\"hello\"", "not a JSON object but a string (\"hello\")"),
                arguments("{\"id\":1}", "'jsonrpc' must be \"2.0\", not missing"),
                arguments("{\"jsonrpc\":2.0,\"id\":1}", "'jsonrpc' must be \"2.0\", not a number (2.0)"),
                arguments("{\"jsonrpc\":\"2.0\"}",
                        "neither 'method' nor 'id': not a request, notification or response"),
                arguments("{\"jsonrpc\":\"2.0\",\"method\":5}", "'method' must be a non-empty string, not a number (5)"),
                arguments("{\"jsonrpc\":\"2.0\",\"method\":\"\"}",
                        "'method' must be a non-empty string, not a string (\"\")"),
                arguments("{\"jsonrpc\":\"2.0\",\"method\":\"hello\",\"params\":[1]}",
                        "'params' of 'hello' must be an object (params by name), not an array"),
                arguments("{\"jsonrpc\":\"2.0\",\"id\":\"7\",\"method\":\"hello\"}",
                        "'id' must be an integer, not a string (\"7\")"),
                arguments("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"result\":true}", "'id' must be an integer, not a number (1.5)"),
                arguments("{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":true}", "'id' must be an integer, not null"),
                arguments("{\"jsonrpc\":\"2.0\",\"id\":1}",
                        "response 1 must carry exactly one of 'result' and 'error', it carries neither"),
                arguments("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1,\"error\":{}}",
                        "response 1 must carry exactly one of 'result' and 'error', it carries both"),
                arguments("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"stop\",\"result\":1}",
                        "a call ('stop') cannot carry 'result' or 'error'"),
                arguments("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":\"bad\"}",
                        "'error' must be an object, not a string (\"bad\")"),
                arguments("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"message\":\"m\"}}",
                        "'error.code' must be an integer, not missing"),
                arguments("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1}}",
                        "'error.message' must be a string, not missing"),
                arguments("{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"result\":1}",
                        "not JSON: Duplicate field 'id'"),
                arguments("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1}{}",
                        "not JSON: Trailing token (of type START_OBJECT) found after value (bound as "
                        + "`com.fasterxml.jackson.databind.JsonNode`): not allowed as per "
                        + "`DeserializationFeature.FAIL_ON_TRAILING_TOKENS`"));
    }

    @ParameterizedTest
    @MethodSource("malformedFrames")
    void rejectsMalformedFramesPrecisely(String frame, String expected) {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> MessageCodec.decode(frame.getBytes(UTF_8)));
        assertEquals(expected, e.getMessage());
    }

    static Stream<Arguments> malformedHellos() {
        return Stream.of(
                arguments("{\"host\":\"h\",\"node_port\":1}", "hello params: missing 'uuid'"),
                arguments("{\"uuid\":\"u\",\"host\":\"h\",\"node_port\":\"x\"}",
                        "hello params: 'node_port' must be an integer, not a string (\"x\")"),
                arguments("{\"uuid\":\"u\",\"host\":\"h\",\"node_port\":70000}",
                        "hello params: 'node_port' must be a port number (0-65535), not 70000"),
                arguments("{\"uuid\":7,\"host\":\"h\",\"node_port\":1}",
                        "hello params: 'uuid' must be a string, not a number (7)"),
                arguments("{\"uuid\":\"u\",\"host\":\"h\",\"instances\":{}}",
                        "hello params: 'instances' must be an array, not an object"),
                arguments("{\"uuid\":\"u\",\"host\":\"h\",\"instances\":[{\"expr\":\"e\",\"status\":\"run\"}]}",
                        "hello params: 'instances[0].status': unknown instance status 'run' (start, pause or stop)"),
                arguments("{\"uuid\":\"u\",\"host\":\"h\",\"instances\":[{\"status\":\"start\"}]}",
                        "hello params: missing 'instances[].expr'"),
                arguments("{\"uuid\":\"u\",\"host\":\"h\",\"instances\":[{\"expr\":\"e\",\"status\":\"start\","
                        + "\"port\":-1}]}", "hello params: 'instances[0].port' must be a port number (0-65535), not -1"),
                arguments("{\"uuid\":\"u\",\"host\":\"h\",\"instances\":[{\"expr\":\"e\",\"status\":\"stop\"},"
                        + "{\"expr\":\"f\",\"status\":\"start\",\"horizon\":-60}]}",
                        "hello params: 'instances[1].horizon' must be 0 or more seconds, not -60"));
    }

    @ParameterizedTest
    @MethodSource("malformedHellos")
    void rejectsMalformedPayloadsPrecisely(String params, String expected) {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> MessageCodec.read(json(params), Hello.class, "hello params"));
        assertEquals(expected, e.getMessage());
    }

    private static String statEntry(String field, String value) {
        String entry = "{\"expr\":\"a.com\",\"status\":\"start\",\"port\":49003,\"avg_load\":1.5,"
                + "\"cache_hit\":1,\"cache_hit_size\":1,\"cache_miss\":1,\"cache_miss_size\":1,\"origin_error\":1,"
                + "\"cache_object\":1,\"cache_object_size\":1}";
        return entry.replaceFirst("\"" + field + "\":[^,}]+", "\"" + field + "\":" + value);
    }

    static Stream<Arguments> forgedStats() {
        return Stream.of(
                arguments(statEntry("cache_hit", "9223372036854775807"),
                        "'stats[1].cache_hit' must be a count from 0 to 2^53 (9007199254740992), not 9223372036854775807"),
                arguments(statEntry("cache_hit_size", "-1"),
                        "'stats[1].cache_hit_size' must be a count from 0 to 2^53 (9007199254740992), not -1"),
                arguments(statEntry("cache_miss", "9007199254740993"),
                        "'stats[1].cache_miss' must be a count from 0 to 2^53 (9007199254740992), not 9007199254740993"),
                arguments(statEntry("cache_miss_size", "-9223372036854775808"),
                        "'stats[1].cache_miss_size' must be a count from 0 to 2^53 (9007199254740992), "
                        + "not -9223372036854775808"),
                arguments(statEntry("origin_error", "-1"),
                        "'stats[1].origin_error' must be a count from 0 to 2^53 (9007199254740992), not -1"),
                arguments(statEntry("cache_object", "-5"),
                        "'stats[1].cache_object' must be a count from 0 to 2^53 (9007199254740992), not -5"),
                arguments(statEntry("cache_object_size", "1e18"),
                        "'stats[1].cache_object_size' must be a count from 0 to 2^53 (9007199254740992), "
                        + "not 1000000000000000000"),
                arguments(statEntry("avg_load", "1e308"),
                        "'stats[1].avg_load' must be a finite number of requests/s from 0 to 1000000000, not 1.0E308"),
                arguments(statEntry("avg_load", "-0.5"),
                        "'stats[1].avg_load' must be a finite number of requests/s from 0 to 1000000000, not -0.5"),
                arguments(statEntry("avg_load", "\"NaN\""),
                        "'stats[1].avg_load' must be a finite number of requests/s from 0 to 1000000000, not NaN"),
                arguments(statEntry("avg_load", "1e400"),
                        "'stats[1].avg_load' must be a finite number of requests/s from 0 to 1000000000, not Infinity"),
                arguments(statEntry("port", "70000"), "'stats[1].port' must be a port number (0-65535), not 70000"));
    }

    @ParameterizedTest
    @MethodSource("forgedStats")
    void rejectsStatReportsOutsideTheBoundsNamingTheEntryAndField(String entry, String expected) {
        String params = "{\"node-id\":1,\"stats\":[" + statEntry("cache_hit", "3") + "," + entry + "]}";
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> MessageCodec.read(json(params), StatReport.class, "stat params"));
        assertEquals("stat params: " + expected, e.getMessage());
    }

    @Test
    void acceptsCountersAtTheBounds() throws MalformedMessageException {
        String params = "{\"node-id\":1,\"stats\":[" + statEntry("cache_hit", "9007199254740992")
                .replace("\"avg_load\":1.5", "\"avg_load\":1e9").replace("\"cache_miss\":1", "\"cache_miss\":0") + "]}";
        InstanceStats read = MessageCodec.read(json(params), StatReport.class, "stat params").stats().get(0);
        assertEquals(1L << 53, read.cacheHit());
        assertEquals(0, read.cacheMiss());
        assertEquals(1e9, read.avgLoad());
    }

    @Test
    void aReportWithoutOriginErrorsFromAnOlderNodeReadsAsNone() throws MalformedMessageException {
        String params = "{\"node-id\":1,\"stats\":[" + statEntry("cache_hit", "3").replace("\"origin_error\":1,", "")
                + "]}";
        InstanceStats read = MessageCodec.read(json(params), StatReport.class, "stat params").stats().get(0);
        assertEquals(0, read.originError());
        assertEquals(3, read.cacheHit());
    }

    static Stream<Arguments> forgedAlerts() {
        return Stream.of(
                arguments("{\"node-id\":1,\"type\":\"load\",\"value\":1e308}",
                        "'value' must be a finite number of requests/s from 0 to 1000000000, not 1.0E308"),
                arguments("{\"node-id\":1,\"type\":\"load\",\"value\":-1}",
                        "'value' must be a finite number of requests/s from 0 to 1000000000, not -1.0"),
                arguments("{\"node-id\":1,\"type\":\"disk\",\"value\":\"Infinity\"}",
                        "'value' must be a finite number of bytes from 0 to 2^53 (9007199254740992), not Infinity"),
                arguments("{\"node-id\":1,\"type\":\"disk\",\"value\":-4096}",
                        "'value' must be a finite number of bytes from 0 to 2^53 (9007199254740992), not -4096.0"));
    }

    @ParameterizedTest
    @MethodSource("forgedAlerts")
    void rejectsAlertsOutsideTheBounds(String params, String expected) {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> MessageCodec.read(json(params), Alert.class, "alert params"));
        assertEquals("alert params: " + expected, e.getMessage());
    }

    @Test
    void rejectsAlertsOfUnknownType() {
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> MessageCodec.read(
                json("{\"node-id\":1,\"type\":\"cpu\",\"value\":1}"), Alert.class, "alert params"));
        assertEquals("alert params: 'type' must be \"load\" or \"disk\", not \"cpu\"", e.getMessage());
    }

    @Test
    void describesErrors() {
        assertEquals("Invalid params: expr: bad", RpcError.invalidParams("expr: bad").describe());
        assertEquals("Failed: {\"disk\":1}", new RpcError(1, "Failed",
                Json.mapper().createObjectNode().set("disk", IntNode.valueOf(1))).describe());
        assertEquals("Failed", new RpcError(1, "Failed", null).describe());
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static Stream<Command> everyCommand() throws Exception {
        ExpressionList two = ExpressionList.parse("a.example|b.example/videos");
        ResolvedUrlList urls = ResolvedUrlList.parse("http://example.com/a|http://example.com:8080/b?x=1");
        return Stream.of(new StartCommand(two, Duration.ofSeconds(60)), new StartCommand(ExpressionList.all(), Duration.ZERO),
                new StopCommand(two), new PauseCommand(ExpressionList.all()), new StatCommand(two),
                new FetchCommand(urls), new SeedCommand(urls), new PurgeCommand(two, urls, null),
                new PurgeCommand(ExpressionList.all(), null, ResolvedUrlList.parse("example.com/videos/")));
    }

    @ParameterizedTest
    @MethodSource("everyCommand")
    void commandsRoundTripThroughTheirFrames(Command command) throws MalformedMessageException {
        Message decoded = MessageCodec.decode(MessageCodec.encode(MessageCodec.request(3, command)));

        assertEquals(command, MessageCodec.command(assertInstanceOf(Message.Request.class, decoded)));
    }

    @Test
    void commandsKeepTheirWireShape() {
        ExpressionList one = ExpressionList.all();
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"start\",\"params\":{\"expr\":\"*\",\"horizon\":60}}",
                new String(MessageCodec.encode(MessageCodec.request(4, new StartCommand(one, Duration.ofSeconds(60)))),
                        UTF_8));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"pause\",\"params\":{\"expr\":\"*\"}}",
                new String(MessageCodec.encode(MessageCodec.request(5, new PauseCommand(one))), UTF_8));
    }

    @Test
    void aCommandWithoutExprMeansEveryInstanceAndNoHorizon() throws MalformedMessageException {
        Command start = MessageCodec.command(new Message.Request(1, Methods.START, Json.mapper().createObjectNode()));

        assertEquals(new StartCommand(ExpressionList.all(), Duration.ZERO), start);
    }

    @Test
    void invalidCommandParamsAreRefusedNamingTheParam() {
        assertEquals("expr: 'exa mple': whitespace inside an expression",
                assertThrows(MalformedMessageException.class, () -> MessageCodec.command(new Message.Request(1,
                        Methods.STOP, Json.mapper().createObjectNode().put("expr", "exa mple")))).getMessage());
        assertEquals("'horizon' must be an integer (seconds), not a string (\"soon\")",
                assertThrows(MalformedMessageException.class, () -> MessageCodec.command(new Message.Request(1,
                        Methods.START, Json.mapper().createObjectNode().put("horizon", "soon")))).getMessage());
        assertThrows(MalformedMessageException.class, () -> MessageCodec.command(new Message.Request(1,
                Methods.FETCH, Json.mapper().createObjectNode())), "fetch needs URLs, '*' is not one");
        assertEquals("purge takes exactly one of 'url' and 'prefix'", assertThrows(MalformedMessageException.class,
                () -> MessageCodec.command(new Message.Request(1, Methods.PURGE, Json.mapper().createObjectNode()
                        .put("url", "example.com/a").put("prefix", "example.com/")))).getMessage());
        assertEquals("'prefix' must be a string, not a number (3)", assertThrows(MalformedMessageException.class,
                () -> MessageCodec.command(new Message.Request(1, Methods.PURGE, Json.mapper().createObjectNode()
                        .put("prefix", 3)))).getMessage());
        assertEquals("'frobnicate' is not a command", assertThrows(MalformedMessageException.class,
                () -> MessageCodec.command(new Message.Request(1, "frobnicate",
                        Json.mapper().createObjectNode()))).getMessage());
    }

    @Test
    void anAlertNamesItsExpressionAndANodeWideOneLooksAsBefore() throws MalformedMessageException {
        assertEquals("{\"node-id\":1,\"type\":\"disk\",\"value\":9.5E9}",
                MessageCodec.params(new Alert(1, Alert.DISK, 9.5e9)).toString(), "no expr: the field is absent");
        assertEquals(new Alert(1, Alert.DISK, 9.5e9, null),
                MessageCodec.read(json("{\"node-id\":1,\"type\":\"disk\",\"value\":9.5e9}"), Alert.class, "alert params"),
                "an alert without expr (a node from before the field) is about the whole node");
        assertEquals(new Alert(1, Alert.LOAD, 600, "example.com:8080/v"), MessageCodec.read(
                json("{\"node-id\":1,\"type\":\"load\",\"value\":600,\"expr\":\"EXAMPLE.com:8080/v\"}"),
                Alert.class, "alert params"), "kept in canonical form");
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> MessageCodec.read(
                json("{\"node-id\":1,\"type\":\"load\",\"value\":600,\"expr\":\"a b\"}"), Alert.class,
                "alert params"));
        assertTrue(e.getMessage().startsWith("alert params: 'expr' must be an expression: "), e.getMessage());
    }
}
