package org.opencache.controller.nodes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.expr.ExpressionList;
import org.opencache.common.expr.InvalidExpressionException;
import org.opencache.common.json.Json;
import org.opencache.common.protocol.Hello;
import org.opencache.common.protocol.Message;
import org.opencache.common.protocol.MessageCodec;
import org.opencache.common.protocol.Methods;
import org.opencache.common.protocol.NodeRef;
import org.opencache.common.protocol.RpcError;
import org.opencache.common.protocol.StartCommand;
import org.opencache.controller.state.Database;
import org.opencache.controller.state.MongoControllerState;
import org.opencache.controller.state.NodeStatus;
import org.opencache.testing.TestConfigs;

/**
 * The controller's end of the link against a node that misbehaves: answers it must give, frames
 * it must survive. The well-behaved node is tested against this server in the integration module.
 */
@Timeout(60)
class NodeLinkServerIT {
    private static final String UUID = "0b7e4ad2-8f0c-4a55-9d3e-2f4e51a0c001";

    @TempDir
    Path dataPath;
    private ControllerConfig config;
    private Database database;
    private MongoControllerState state;
    private NodeLinkServer server;
    private RawNode node;

    @BeforeEach
    void start() throws Exception {
        config = TestConfigs.controller(dataPath).build();
        database = Database.open(config);
        assertTrue(database.awaitReady(Duration.ofSeconds(20)), "database ready");
        state = new MongoControllerState(database);
        server = NodeLinkServer.start(config, state, Clock.systemUTC());
        node = new RawNode(UUID, config.notificationPort());
    }

    @AfterEach
    void stop() {
        node.close();
        server.close();
        database.close();
    }

    @Test
    void aKeepAliveBeforeHelloIsToldToSayHello() throws Exception {
        Message.Response answer = node.call(request(1, Methods.KEEP_ALIVE, MessageCodec.params(new NodeRef(1))));

        RpcError error = assertInstanceOf(Message.Failure.class, answer).error();
        assertEquals(RpcError.UNKNOWN_NODE, error.code());
        assertTrue(error.message().contains("say hello"), error.toString());
    }

    @Test
    void aHelloWhoseUuidIsNotTheSocketIdentityIsRefused() throws Exception {
        Message.Response answer = node.call(hello(1, "someone-else"));

        RpcError error = assertInstanceOf(Message.Failure.class, answer).error();
        assertEquals(RpcError.INVALID_PARAMS, error.code());
        assertTrue(error.describe().contains("differs from the socket identity " + UUID), error.describe());
        assertEquals(List.of(), state.nodes());
    }

    @Test
    void malformedFramesAreDroppedAndTheLinkKeepsServing() throws Exception {
        node.sendFrames("not json".getBytes(UTF_8));
        node.sendFrames("{}".getBytes(UTF_8), "{}".getBytes(UTF_8));
        node.sendFrames("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"hello\"}".getBytes(UTF_8));

        Message.Response answer = node.call(hello(2, UUID));

        assertEquals(new Message.Result(2, MessageCodec.tree(new NodeRef(1))), answer);
    }

    @Test
    void anUnknownMethodIsNotFound() throws Exception {
        Message.Response answer = node.call(request(1, "frobnicate", Json.mapper().createObjectNode()));

        assertEquals(RpcError.METHOD_NOT_FOUND, assertInstanceOf(Message.Failure.class, answer).error().code());
    }

    @Test
    void anInvalidCommandResultFailsTheCommandPrecisely() throws Exception {
        node.call(hello(1, UUID));
        ObjectNode params = Json.mapper().createObjectNode().put("expr", "example.com").put("horizon", 0);
        CompletableFuture<CommandOutcome> outcome = CompletableFuture.supplyAsync(
                () -> server.send(List.of(1), new StartCommand(expressions("example.com"), Duration.ZERO)));

        Message.Request command = assertInstanceOf(Message.Request.class, node.receive(Duration.ofSeconds(5)));
        assertEquals(Methods.START, command.method());
        assertEquals(params, command.params());
        node.send(new Message.Result(command.id(), Json.mapper().createObjectNode().put("instances", "oops")));

        assertEquals(List.of(new CommandOutcome.Failure(1, "invalid reply: start result: 'instances' must be an "
                + "array, not a string (\"oops\")")), outcome.get(10, TimeUnit.SECONDS).failed());
    }

    @Test
    void aGoodbyeAfterAControllerRestartMarksTheNodeDownOnlyWithItsOwnUuid() throws Exception {
        int id = state.registerNode(UUID, "10.0.0.3", 49002, Instant.now()).nodeId();
        int other = state.registerNode("uuid-of-another-node", "10.0.0.4", 49002, Instant.now()).nodeId();

        assertEquals(BooleanNode.TRUE, ((Message.Result) node.call(goodbye(1, other))).result());
        assertEquals(NodeStatus.UP, state.node(other).orElseThrow().status());

        assertEquals(BooleanNode.TRUE, ((Message.Result) node.call(goodbye(2, id))).result());
        assertEquals(NodeStatus.DOWN, state.node(id).orElseThrow().status());
    }

    @Test
    void nodeIdentitiesPrintAsTextOrHex() {
        assertEquals(UUID, RouterLoop.display(UUID.getBytes(UTF_8)));
        assertEquals("0x00ff10", RouterLoop.display(new byte[] {0, (byte) 0xff, 0x10}));
    }

    private static Message.Request hello(long id, String uuid) {
        return request(id, Methods.HELLO, MessageCodec.params(new Hello(uuid, "10.0.0.3", 49002, "test", List.of())));
    }

    private static Message.Request goodbye(long id, int nodeId) {
        return request(id, Methods.GOODBYE, MessageCodec.params(new NodeRef(nodeId)));
    }

    private static Message.Request request(long id, String method, ObjectNode params) {
        return new Message.Request(id, method, params);
    }

    private static ExpressionList expressions(String expr) {
        try {
            return ExpressionList.parse(expr);
        } catch (InvalidExpressionException e) {
            throw new AssertionError(e);
        }
    }
}
