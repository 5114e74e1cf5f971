package org.opencache.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a test origin playing a JSON-RPC server. */
class RpcClientTest {
    private final TestOrigin server;
    private final RpcClient rpc;

    RpcClientTest() throws Exception {
        server = new TestOrigin();
        rpc = new RpcClient(new InetSocketAddress("127.0.0.1", server.port()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void callSendsAJsonRpcRequestAndReturnsTheResponseObject() throws Exception {
        server.route("/", TestOrigin.ok("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[]}",
                "Content-Type", "application/json"));

        JsonNode response = rpc.call("nodes", "{\"expr\":\"*\"}");

        assertTrue(response.get("result").isArray(), response.toString());
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nodes\",\"params\":{\"expr\":\"*\"}}",
                server.last("/").body());
        assertEquals("POST", server.last("/").method());
    }

    @Test
    void anythingButHttp200FailsTheTest() {
        server.route("/", TestOrigin.respond(500, "broken"));
        AssertionError failure = assertThrows(AssertionError.class, () -> rpc.call("nodes", null));
        assertEquals("HTTP 500: broken", failure.getMessage());
    }

    @Test
    void awaitReadyWaitsUntilTheApiAnswersWithoutError() {
        server.route("/", (request, response, callback) -> TestOrigin.ok(server.requests("/") < 3
                ? "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32002,\"message\":\"database unavailable\"}}"
                : "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[]}").handle(request, response, callback));

        rpc.awaitReady();

        assertEquals(3, server.requests("/"));
    }
}
