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
import org.opencache.common.config.LoggingConfig;
import org.opencache.controller.Controller;
import org.opencache.dist.Testbed.ClientResponse;
import org.opencache.testing.Ports;
import org.opencache.testing.RpcClient;

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
        ControllerConfig config = new ControllerConfig(Testbed.MANAGEMENT, 0, Ports.free(), Optional.empty(),
                "opencache", dir.resolve("db"), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofHours(1),
                new LoggingConfig(Optional.empty(), 3));
        controller = Controller.start(config);
        rpc = new RpcClient(controller.apiAddress());
        rpc.awaitReady();
        Path nodeConfig = dir.resolve("node.conf");
        Files.writeString(nodeConfig, String.join("\n", "[config]",
                "node_host = " + Testbed.CACHE,
                "node_port = 49002",
                "port_range = 20601,20640",
                "controller_host = " + Testbed.MANAGEMENT,
                "notification_port = " + config.notificationPort(),
                "cache_path = " + dir.resolve("cache"),
                "keep_alive_interval = 1s",
                "openflow_switch = " + Testbed.SWITCH,
                "redirect_lease = " + LEASE.toSeconds() + "s", ""));
        log = dir.resolve("node.log");
        node = Testbed.inCacheNamespace(List.of(LAUNCHER.toString(), "--node", "--config", nodeConfig.toString()), log);
        awaitTrue("node registered", Duration.ofSeconds(60),
                () -> rpc.call("nodes", null).path("result").size() == 1);
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
        ClientResponse direct;
        long deadline = killed + LEASE.plusSeconds(2).toNanos();
        do {
            long asked = System.nanoTime();
            direct = testbed.get("http://" + Testbed.ORIGIN + "/index.txt", "0.5");
            assertTrue(System.nanoTime() - asked < TimeUnit.SECONDS.toNanos(3), "a client request hung");
        } while (!direct.fromOrigin() && System.nanoTime() < deadline);
        long failedOpenMs = (System.nanoTime() - killed) / 1_000_000;
        assertTrue(direct.fromOrigin() && failedOpenMs <= LEASE.plusSeconds(2).toMillis(),
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
                                                java.util.function.Predicate<ClientResponse> wanted) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        ClientResponse last;
        do {
            last = testbed.get(url);
            if (wanted.test(last)) {
                return last;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(what + " within " + within.toMillis() + " ms; last: " + last + "\n"
                + testbed.flows() + "\n" + read(log));
    }

    private static void awaitTrue(String what, Duration within, Check check) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!check.ok()) {
            assertTrue(System.nanoTime() < deadline, () -> what + " within " + within.toSeconds() + " s\n" + read(log));
            Thread.sleep(100);
        }
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

    private interface Check {
        boolean ok() throws Exception;
    }
}
