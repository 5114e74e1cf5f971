package org.opencache.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencache.common.auth.ApiTokens;
import org.opencache.common.auth.HmacAuthorization;
import org.opencache.common.json.Json;
import org.opencache.testing.RpcClient;
import org.opencache.testing.TestCertificates;
import org.opencache.testing.TestConfigs;

/**
 * The API's TLS, mutual TLS, tokens, roles and signed requests (docs/design.md §4), over real
 * sockets with certificates the test makes.
 */
class ApiSecurityIT {
    static final String READ_SECRET = "read-secret-0123456789abcdef";
    static final String ADMIN_SECRET = "admin-secret-0123456789abcdef";
    static final ApiTokens TOKENS = tokens();
    @TempDir
    static Path root;

    private static ApiTokens tokens() {
        try {
            return ApiTokens.parse(List.of("# operators", "viewer read " + READ_SECRET, "ops admin " + ADMIN_SECRET));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String call(String method) {
        return "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method + "\",\"params\":{}}";
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.mapper().readTree(response.body());
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Tls {
        final TestCertificates.Authority serverCa = TestCertificates.authority("api CA");
        final TestCertificates.Authority clientCa = TestCertificates.authority("client CA");
        final TestCertificates.Authority strangerCa = TestCertificates.authority("stranger CA");
        Controller https;
        Controller mutual;

        @BeforeAll
        void start() throws Exception {
            TestCertificates.Issued server = serverCa.issue("controller", "127.0.0.1", "localhost");
            https = Controller.start(TestConfigs.controller(root.resolve("tls")).tls(server.identity(Optional.empty())).build());
            mutual = Controller.start(TestConfigs.controller(root.resolve("mtls"))
                    .tls(server.identity(Optional.of(clientCa))).build());
        }

        @AfterAll
        void stop() {
            https.close();
            mutual.close();
        }

        @Test
        void servesHttpsWithTheConfiguredCertificateAndRefusesPlainHttp() throws Exception {
            RpcClient client = RpcClient.https(https.apiAddress(), serverCa.clientContext());
            assertTrue(RpcClient.parse(client.post("/", call("nodes"))).get("result").isArray());
            RpcClient plain = new RpcClient(https.apiAddress());
            assertThrows(IOException.class, () -> plain.post("/", call("nodes")), "plain HTTP on the TLS port");
            // A client that does not trust the certificate's issuer stops at the handshake.
            RpcClient untrusting = RpcClient.https(https.apiAddress(), strangerCa.clientContext());
            assertThrows(IOException.class, () -> untrusting.post("/", call("nodes")));
        }

        @Test
        void mutualTlsServesOnlyClientsWithACertificateOfTheClientCa() throws Exception {
            RpcClient withCertificate = RpcClient.https(mutual.apiAddress(),
                    clientCa.issue("script").clientContext(serverCa));
            assertTrue(RpcClient.parse(withCertificate.post("/", call("stat"))).get("result").has("hit_ratio"));
            RpcClient without = RpcClient.https(mutual.apiAddress(), serverCa.clientContext());
            assertThrows(IOException.class, () -> without.post("/", call("stat")), "no client certificate");
            RpcClient stranger = RpcClient.https(mutual.apiAddress(), strangerCa.issue("x").clientContext(serverCa));
            assertThrows(IOException.class, () -> stranger.post("/", call("stat")), "certificate of another CA");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Tokens {
        Controller controller;
        RpcClient anonymous;

        @BeforeAll
        void start() throws Exception {
            controller = Controller.start(TestConfigs.controller(root.resolve("tokens")).tokens(TOKENS)
                    .timestampErrorMargin(Duration.ofSeconds(5)).build());
            anonymous = new RpcClient(controller.apiAddress());
            new RpcClient(controller.apiAddress()).withBearer(ADMIN_SECRET).awaitReady();
        }

        @AfterAll
        void stop() {
            controller.close();
        }

        /** Every cell of the permission table: role (none, wrong, read, admin) × method. */
        @ParameterizedTest(name = "{0} calls {1}: HTTP {2}")
        @CsvSource({
                "read, stat, 200", "read, nodes, 200", "read, alerts, 200",
                "read, start, 403", "read, stop, 403", "read, pause, 403", "read, fetch, 403",
                "read, seed, 403", "read, refresh, 403", "read, forget, 403", "read, no_such_method, 403",
                "admin, stat, 200", "admin, nodes, 200", "admin, start, 200", "admin, stop, 200",
                "admin, pause, 200", "admin, fetch, 200", "admin, seed, 200", "admin, refresh, 200",
                "admin, no_such_method, 200", "admin, alerts, 200",
                "none, stat, 401", "none, alerts, 401", "none, nodes, 401", "none, start, 401",
                "wrong, stat, 401", "wrong, start, 401"})
        void permissionTable(String role, String method, int status) throws Exception {
            RpcClient client = switch (role) {
                case "read" -> anonymous.withBearer(READ_SECRET);
                case "admin" -> anonymous.withBearer(ADMIN_SECRET);
                case "wrong" -> anonymous.withBearer("not-a-secret-of-this-controller");
                default -> anonymous;
            };
            HttpResponse<String> response = client.post("/", call(method));
            assertEquals(status, response.statusCode(), response.body());
            JsonNode body = json(response);
            switch (status) {
                case 401 -> {
                    assertEquals(-32003, body.path("error").path("code").asInt(), body.toString());
                    assertEquals("Bearer realm=\"opencache\"", response.headers().firstValue("WWW-Authenticate").orElse(""));
                }
                case 403 -> {
                    assertEquals(-32004, body.path("error").path("code").asInt(), body.toString());
                    assertTrue(body.path("error").path("data").asText().contains("role 'read' may not call '" + method + "'"),
                            body.toString());
                    assertEquals(7, body.path("id").asInt());
                }
                default -> {
                    // Past the gate: a result, or the method's own error (no node has registered, unknown method).
                    int code = body.path("error").path("code").asInt(0);
                    assertFalse(code == -32003 || code == -32004, body.toString());
                }
            }
            assertFalse(response.body().contains(READ_SECRET) || response.body().contains(ADMIN_SECRET));
        }

        /** The controller's /metrics follows the API's rule: a token of any role, read included. */
        @Test
        void metricsNeedATokenOfAnyRoleAndCountForbiddenCalls() throws Exception {
            assertEquals(401, anonymous.get("/metrics").statusCode());
            assertEquals(401, anonymous.withBearer("not-a-secret-of-this-controller").get("/metrics").statusCode());
            assertEquals(403, anonymous.withBearer(READ_SECRET).post("/", call("refresh")).statusCode());
            HttpResponse<String> read = anonymous.withBearer(READ_SECRET).get("/metrics");
            assertEquals(200, read.statusCode());
            assertTrue(read.body().contains(
                    "opencache_controller_rpc_calls_total{method=\"refresh\",outcome=\"forbidden\"}"), read.body());
            assertEquals(200, anonymous.withBearer(ADMIN_SECRET).get("/metrics").statusCode());
        }

        @Test
        void aBatchWithOneForbiddenCallIsRefusedWhole() throws Exception {
            HttpResponse<String> response = anonymous.withBearer(READ_SECRET)
                    .post("/", "[" + call("stat") + "," + call("start") + "]");
            assertEquals(403, response.statusCode());
            JsonNode body = json(response);
            assertTrue(body.isObject(), "one error, not the batch's answers: " + body);
            assertTrue(body.path("error").path("data").asText().contains("'start'"), body.toString());
            HttpResponse<String> allowed = anonymous.withBearer(READ_SECRET)
                    .post("/", "[" + call("stat") + "," + call("nodes") + "]");
            assertEquals(200, allowed.statusCode());
            assertEquals(2, json(allowed).size());
        }

        private HttpResponse<String> signed(String name, String secret, long ts, String signedBody, String sentBody)
                throws Exception {
            return anonymous.post("/", sentBody, "Authorization",
                    HmacAuthorization.sign(name, secret, ts, signedBody.getBytes(StandardCharsets.UTF_8)));
        }

        @Test
        void aSignedRequestIsServedOnceWithinTheMargin() throws Exception {
            long now = Instant.now().getEpochSecond();
            String body = "{\"jsonrpc\":\"2.0\",\"id\":\"hmac-1\",\"method\":\"stat\"}";
            HttpResponse<String> first = signed("viewer", READ_SECRET, now, body, body);
            assertEquals(200, first.statusCode(), first.body());
            assertTrue(json(first).path("result").has("hit_ratio"));

            HttpResponse<String> replay = signed("viewer", READ_SECRET, now, body, body);
            assertEquals(401, replay.statusCode());
            assertTrue(json(replay).path("error").path("data").asText().contains("already used"), replay.body());

            String next = body.replace("hmac-1", "hmac-2");
            assertEquals(200, signed("viewer", READ_SECRET, now, next, next).statusCode(), "another id is another request");
        }

        @Test
        void aStaleOrFutureTimestampIsRefused() throws Exception {
            long now = Instant.now().getEpochSecond();
            String body = call("nodes");
            for (long ts : new long[] {now - 60, now + 60}) {
                HttpResponse<String> response = signed("ops", ADMIN_SECRET, ts, body, body);
                assertEquals(401, response.statusCode());
                JsonNode error = json(response).path("error");
                assertEquals(-32003, error.path("code").asInt());
                assertTrue(error.path("data").asText().contains("timestamp_error_margin"), error.toString());
            }
        }

        @Test
        void aSignatureOfAnotherBodyOrByAnotherSecretIsRefused() throws Exception {
            long now = Instant.now().getEpochSecond();
            HttpResponse<String> otherBody = signed("ops", ADMIN_SECRET, now, call("stat"), call("start"));
            assertEquals(401, otherBody.statusCode());
            assertTrue(json(otherBody).path("error").path("data").asText().contains("wrong signature"));
            assertEquals(401, signed("ops", READ_SECRET, now, call("stop"), call("stop")).statusCode());
            assertEquals(401, signed("nobody", ADMIN_SECRET, now, call("stop"), call("stop")).statusCode());
            assertEquals(401, anonymous.post("/", call("stat"), "Authorization", "OpenCache-HMAC name=ops").statusCode());
            assertEquals(401, anonymous.post("/", call("stat"), "Authorization", "Basic b3BzOnNlY3JldA==").statusCode());
        }

        @Test
        void aSignedReadTokenMayNotCallAdminMethods() throws Exception {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":\"signed-start\",\"method\":\"start\",\"params\":{}}";
            HttpResponse<String> response = signed("viewer", READ_SECRET, Instant.now().getEpochSecond(), body, body);
            assertEquals(403, response.statusCode());
            assertEquals(-32004, json(response).path("error").path("code").asInt());
        }
    }
}
