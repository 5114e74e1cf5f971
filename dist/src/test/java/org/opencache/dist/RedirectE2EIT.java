package org.opencache.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.auth.ApiTokens;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.keys.ControllerLinkKeys;
import org.opencache.common.keys.LinkKeys;
import org.opencache.controller.Controller;
import org.opencache.dist.Testbed.ClientResponse;
import org.opencache.testing.Await;
import org.opencache.testing.RpcClient;
import org.opencache.testing.TestCertificates;
import org.opencache.testing.TestConfigs;

/**
 * Transparent redirection on a real switch (issue 4): Open vSwitch in network namespaces
 * ({@link Testbed}), the node as its own process in the cache namespace, a controller in this
 * process on the management link, everything driven through the JSON-RPC API, and clients that
 * only ever ask the origin. The scenarios share one testbed and run in order; the last kills the node.
 *
 * <p>The control plane runs secured, with keys, certificates and tokens the test makes: the API
 * over HTTPS (a certificate for the management address) with an admin bearer token, CURVE on the
 * node link (each side's key pair, the node's public key authorized on the controller), and the
 * node's status endpoint on the management link with {@code status_tokens}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedirectE2EIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "opencache").toAbsolutePath().normalize();
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final String EXPR = Testbed.ORIGIN;
    private static final int NODE_PORT = 49002;

    @TempDir
    static Path dir;
    static Testbed testbed;
    static Controller controller;
    static RpcClient rpc;
    static Process node;
    static Path log;
    static TestCertificates.Authority apiCa;
    static String statusSecret;

    @BeforeAll
    static void up() throws Exception {
        testbed = Testbed.up();
        apiCa = TestCertificates.authority("e2e API CA");
        String adminSecret = secret();
        statusSecret = secret();
        Path apiTokens = tokenFile(dir.resolve("api.tokens"), "ops admin " + adminSecret);
        Path statusTokens = tokenFile(dir.resolve("status.tokens"), "scraper read " + statusSecret);
        LinkKeys.Written controllerKeys = LinkKeys.write(dir.resolve("keys/controller"));
        LinkKeys.Written nodeKeys = LinkKeys.write(dir.resolve("keys/node"));
        ControllerConfig config = TestConfigs.controller(dir.resolve("db")).host(Testbed.MANAGEMENT)
                .statRetention(Duration.ofHours(1))
                .tls(apiCa.issue("controller", Testbed.MANAGEMENT).identity(Optional.empty()))
                .tokens(ApiTokens.read(apiTokens))
                .linkKeys(new ControllerLinkKeys(LinkKeys.readSecret(controllerKeys.secretFile()),
                        LinkKeys.readAuthorized(nodeKeys.publicFile())))
                .build();
        controller = Controller.start(config);
        rpc = RpcClient.https(controller.apiAddress(), apiCa.clientContext()).withBearer(adminSecret);
        rpc.awaitReady();
        Path nodeConfig = TestConfigs.node(dir.resolve("cache"), config.notificationPort())
                .set("node_host", Testbed.CACHE)
                .set("node_admin_host", Testbed.MANAGEMENT_NODE)
                .set("node_port", NODE_PORT)
                .set("link_secret_key", nodeKeys.secretFile())
                .set("controller_public_key", controllerKeys.publicFile())
                .set("status_tokens", true)
                .set("api_tokens_file", statusTokens)
                .set("port_range", "20601,20640")
                .set("controller_host", Testbed.MANAGEMENT)
                .set("keep_alive_interval", "1s")
                .set("openflow_switch", Testbed.SWITCH)
                .set("redirect_lease", LEASE)
                .write(dir.resolve("node.conf"));
        log = dir.resolve("node.log");
        node = Testbed.inCacheNamespace(List.of(LAUNCHER.toString(), "--node", "--config", nodeConfig.toString()), log);
        Await.until("node registered", Duration.ofSeconds(60), () -> rpc.call("nodes", null).path("result").size() == 1,
                () -> read(log));
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (node != null) {
                node.destroyForcibly();
                node.waitFor(10, TimeUnit.SECONDS);
            }
            if (controller != null) {
                controller.close();
            }
        } finally {
            if (testbed != null) {
                testbed.down();
            }
        }
    }

    @Test
    @Order(0)
    void controlPlaneRefusesCallersWithoutATokenAndNodesWithoutTheirKey() throws Exception {
        RpcClient anonymous = RpcClient.https(controller.apiAddress(), apiCa.clientContext());
        HttpResponse<String> refused = anonymous.post("/", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nodes\"}");
        assertEquals(401, refused.statusCode(), "an API call over HTTPS without a token: " + refused.body());
        assertEquals(1, ok("nodes", null).size(), "the node joined over the CURVE link");
        assertEquals(401, nodeStatus(Optional.empty()).statusCode(), "the node's /status without a token");
        HttpResponse<String> status = nodeStatus(Optional.of(statusSecret));
        assertEquals(200, status.statusCode(), "the node's /status with its read token: " + status.body());
    }

    @Test
    @Order(1)
    void startSendsTheOriginsClientsToTheCache() throws Exception {
        long sent = System.nanoTime();
        ok("start", "{\"expr\":\"" + EXPR + "\",\"horizon\":60}");
        long acknowledgedMs = (System.nanoTime() - sent) / 1_000_000;
        ClientResponse first = awaitResponse("first redirected request", Duration.ofSeconds(5),
                "http://" + Testbed.ORIGIN + "/index.txt", ClientResponse::fromCache);
        long firstMs = (System.nanoTime() - sent) / 1_000_000;
        assertTrue(first.cacheStatus().contains("fwd=miss"), first.toString());
        for (int i = 0; i < 9; i++) {
            ClientResponse again = testbed.get("http://" + Testbed.ORIGIN + "/index.txt");
            assertTrue(again.fromCache() && again.cacheStatus().contains("hit"), again.toString());
        }
        assertEquals(1, testbed.originRequests("origin", "/index.txt"), "one origin fetch for ten client requests");
        System.out.printf("RedirectE2EIT: start RPC acknowledged in %d ms; start RPC -> first redirected client"
                + " response (a miss): %d ms; rule install (flow-mods -> barrier reply): %s ms%n",
                acknowledgedMs, firstMs, installMillis());
    }

    @Test
    @Order(2)
    void pauseSendsClientsToTheOriginWithinASecondAndStartBringsThemBack() throws Exception {
        ok("start", "{\"expr\":\"" + EXPR + "\",\"horizon\":60}");
        ok("pause", "{\"expr\":\"" + EXPR + "\"}");
        awaitResponse("direct to origin after pause", Duration.ofSeconds(1),
                "http://" + Testbed.ORIGIN + "/index.txt", ClientResponse::fromOrigin);
        ok("start", "{\"expr\":\"" + EXPR + "\",\"horizon\":60}");
        ClientResponse back = testbed.get("http://" + Testbed.ORIGIN + "/index.txt");
        assertTrue(back.fromCache() && back.cacheStatus().contains("hit"), back.toString());
    }

    @Test
    @Order(3)
    void switchRestartIsHealedByTheNode() throws Exception {
        ok("start", "{\"expr\":\"" + EXPR + "\",\"horizon\":60}");
        testbed.restartSwitch();
        awaitResponse("redirect back after the switch restarted", Duration.ofSeconds(15),
                "http://" + Testbed.ORIGIN + "/index.txt", ClientResponse::fromCache);
    }

    @Test
    @Order(4)
    void everyHostInstanceCachesTwoOrigins() throws Exception {
        ok("pause", "{\"expr\":\"" + EXPR + "\"}");
        ok("start", "{\"expr\":\"*\",\"horizon\":60}");
        for (String origin : List.of(Testbed.ORIGIN, Testbed.ORIGIN2)) {
            String url = "http://" + origin + "/big.txt";
            ClientResponse first = awaitResponse("* redirect for " + origin, Duration.ofSeconds(3), url,
                    ClientResponse::fromCache);
            assertTrue(first.cacheStatus().contains("fwd=miss"), first.toString());
            ClientResponse second = testbed.get(url);
            assertTrue(second.fromCache() && second.cacheStatus().contains("hit"), second.toString());
        }
        assertEquals(1, testbed.originRequests("origin", "/big.txt"));
        assertEquals(1, testbed.originRequests("origin2", "/big.txt"));
        ok("pause", "{\"expr\":\"*\"}");
        awaitResponse("direct after pausing *", Duration.ofSeconds(1), "http://" + Testbed.ORIGIN2 + "/index.txt",
                ClientResponse::fromOrigin);
    }

    @Test
    @Order(5)
    void killedNodeFailsOpenWithinTheLease() throws Exception {
        ok("start", "{\"expr\":\"" + EXPR + "\",\"horizon\":60}");
        assertTrue(testbed.get("http://" + Testbed.ORIGIN + "/index.txt").fromCache());
        long killed = System.nanoTime();
        node.destroyForcibly(); // SIGKILL: the node removes nothing
        assertTrue(node.waitFor(10, TimeUnit.SECONDS));
        // Short client timeouts, so that the first request after the rules expire is seen in time.
        Duration bound = LEASE.plusSeconds(2);
        Await.until("clients at the origin (lease + 2 s after the kill)", bound.minusNanos(System.nanoTime() - killed),
                () -> {
                    long asked = System.nanoTime();
                    ClientResponse direct = testbed.get("http://" + Testbed.ORIGIN + "/index.txt", "0.5");
                    assertTrue(System.nanoTime() - asked < TimeUnit.SECONDS.toNanos(3), "a client request hung");
                    return direct.fromOrigin();
                }, testbed::flows);
        long failedOpenMs = (System.nanoTime() - killed) / 1_000_000;
        assertTrue(failedOpenMs <= bound.toMillis(),
                () -> "clients at the origin within lease + 2 s; after " + failedOpenMs + " ms: " + testbed.flows());
        System.out.printf("RedirectE2EIT: node SIGKILL -> clients at the origin: %d ms (lease %d s)%n",
                failedOpenMs, LEASE.toSeconds());
    }

    private static HttpResponse<String> nodeStatus(Optional<String> bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://" + Testbed.MANAGEMENT_NODE + ":" + NODE_PORT + "/status"))
                .timeout(Duration.ofSeconds(5)).GET();
        bearer.ifPresent(secret -> request.header("Authorization", "Bearer " + secret));
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** A random token secret, as {@code openssl rand -hex 32} would make it. */
    private static String secret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Writes a token file of {@code lines}, readable by its owner only. */
    private static Path tokenFile(Path file, String... lines) throws Exception {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.write(file, List.of(lines));
    }

    private static JsonNode ok(String method, String params) throws Exception {
        JsonNode response = rpc.call(method, params);
        assertTrue(response.has("result"), () -> method + " " + params + " -> " + response + "\n" + read(log));
        return response.get("result");
    }

    /** Repeats the client request (each bounded by curl's 2 s limit) until it satisfies {@code wanted}. */
    private static ClientResponse awaitResponse(String what, Duration within, String url,
                                                Predicate<ClientResponse> wanted) {
        AtomicReference<ClientResponse> last = new AtomicReference<>();
        return Await.value(what, within, () -> {
            last.set(testbed.get(url));
            return Optional.of(last.get()).filter(wanted);
        }, () -> "last: " + last.get() + "\n" + testbed.flows() + "\n" + read(log));
    }

    /** The install time the node logged for its last confirmed batch of instance rules. */
    private static String installMillis() {
        Matcher matcher = Pattern.compile("redirect rules confirmed by switch \\S+ in (\\d+) ms").matcher(read(log));
        String found = "?";
        while (matcher.find()) {
            found = matcher.group(1);
        }
        return found;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
