package org.opencache.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.opencache.common.config.ControllerConfig;
import org.opencache.controller.Controller;
import org.opencache.dist.Testbed.ClientResponse;
import org.opencache.testing.Await;
import org.opencache.testing.RpcClient;
import org.opencache.testing.TestConfigs;

/**
 * Transparent redirection on a real switch (issue 4): Open vSwitch in network namespaces
 * ({@link Testbed}), the node as its own process in the cache namespace, a controller in this
 * process on the management link, everything driven through the JSON-RPC API, and clients that
 * only ever ask the origin. The scenarios share one testbed and run in order; the last kills the node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedirectE2EIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "opencache").toAbsolutePath().normalize();
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final String EXPR = Testbed.ORIGIN;

    @TempDir
    static Path dir;
    static Testbed testbed;
    static Controller controller;
    static RpcClient rpc;
    static Process node;
    static Path log;

    @BeforeAll
    static void up() throws Exception {
        testbed = Testbed.up();
        ControllerConfig config = TestConfigs.controller(dir.resolve("db")).host(Testbed.MANAGEMENT)
                .statRetention(Duration.ofHours(1)).build();
        controller = Controller.start(config);
        rpc = new RpcClient(controller.apiAddress());
        rpc.awaitReady();
        Path nodeConfig = TestConfigs.node(dir.resolve("cache"), config.notificationPort())
                .set("node_host", Testbed.CACHE)
                .set("node_port", 49002)
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
