package org.opencache.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ControllerConfig;
import org.opencache.controller.Controller;
import org.opencache.node.Node;
import org.opencache.testing.Await;
import org.opencache.testing.Ports;
import org.opencache.testing.PrometheusText;
import org.opencache.testing.RpcClient;
import org.opencache.testing.TestConfigs;
import org.opencache.testing.TestOrigin;

/**
 * Issue 18 item 4: the node's per-instance metrics and the controller's {@code /metrics}
 * (docs/design.md §4 and §6), scraped over HTTP from a real controller and node after real
 * requests of every outcome through a real instance to a real origin.
 */
class MetricsIT {
    private static final String PORT_RANGE = "20441,20470";
    private static final String ETAG = "\"v1\"";

    @TempDir
    Path dir;
    TestOrigin origin;
    ControllerConfig controllerConfig;
    Controller controller;
    Node node;
    RpcClient rpc;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin().routeAll(TestOrigin.describe())
                .route("/stale", TestOrigin.ok("stale body", "Age", "100",
                        "Cache-Control", "max-age=10, stale-while-revalidate=600"))
                .route("/missing", TestOrigin.respond(404, "no such thing", "Cache-Control", "no-store"))
                .route("/moved", TestOrigin.respond(301, "moved", "Location", "/elsewhere",
                        "Cache-Control", "no-store"))
                .route("/revalidated", (request, response, callback) -> {
                    response.getHeaders().put(HttpHeader.ETAG, ETAG);
                    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
                    if (ETAG.equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
                        response.setStatus(304);
                        callback.succeeded();
                    } else {
                        Content.Sink.write(response, true, "validated body", callback);
                    }
                });
        controllerConfig = TestConfigs.controller(dir.resolve("db")).build();
        controller = Controller.start(controllerConfig);
        rpc = new RpcClient(controller.apiAddress());
        rpc.awaitReady();
        node = Node.start(TestConfigs.joiningNode(dir.resolve("cache"), controllerConfig.notificationPort(), PORT_RANGE)
                // Small tiers, so that a few objects make both evict.
                .set("max_cache_size", "64KB")
                .set("max_disk", "256KB")
                .build());
        Await.until("node registered", Duration.ofSeconds(15),
                () -> rpc.answer("nodes", null).path("result").size() == 1);
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        controller.close();
        origin.close();
    }

    private String originExpr() {
        return "127.0.0.1:" + origin.port();
    }

    private HttpResponse<String> send(int port, String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("x")
                        : HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        return send(port, "GET", path, headers);
    }

    private PrometheusText nodeMetrics() throws Exception {
        HttpResponse<String> response = get(node.statusAddress().getPort(), "/metrics");
        assertEquals(200, response.statusCode(), response.body());
        return PrometheusText.parse(response.body());
    }

    private static String cacheStatus(HttpResponse<String> response) {
        return response.headers().firstValue("Cache-Status").orElse("");
    }

    @Test
    void everyOutcomeStatusClassAndTimingMovesPerInstance() throws Exception {
        String expr = originExpr();
        rpc.result("start", "{\"expr\":\"" + expr + "\"}");
        int port = rpc.instancePort(expr);

        assertTrue(cacheStatus(get(port, "/a")).contains("fwd=miss"));
        assertTrue(cacheStatus(get(port, "/a")).endsWith("hit"));
        get(port, "/stale");
        String stale = cacheStatus(get(port, "/stale"));
        assertTrue(stale.contains("stale-while-revalidate"), stale);
        get(port, "/revalidated");
        HttpResponse<String> revalidated = get(port, "/revalidated");
        assertTrue(cacheStatus(revalidated).contains("fwd-status=304"), cacheStatus(revalidated));
        assertTrue(cacheStatus(send(port, "POST", "/a")).contains("fwd=method"));
        assertEquals(304, get(port, "/a", "If-None-Match", "*").statusCode());
        assertEquals(301, get(port, "/moved").statusCode());
        assertEquals(404, get(port, "/missing").statusCode());
        HttpResponse<String> refused = get(port, "/never", "Cache-Control", "only-if-cached");
        assertEquals(504, refused.statusCode());
        // Enough 20 KB bodies to overflow the 64 KB memory tier and the 256 KB disk tier.
        for (int i = 0; i < 40; i++) {
            assertEquals(200, get(port, "/big" + i + "?body-size=20000").statusCode());
        }

        String down = "127.0.0.1:" + Ports.free();
        rpc.result("start", "{\"expr\":\"" + down + "\"}");
        assertEquals(502, get(rpc.instancePort(down), "/x").statusCode());

        PrometheusText metrics = nodeMetrics();
        for (String outcome : new String[] {"hit", "stale", "revalidated", "miss", "pass", "refused"}) {
            assertTrue(metrics.value("opencache_cache_status_total", "expr", expr, "outcome", outcome) >= 1,
                    outcome + "\n" + metrics);
        }
        assertEquals(0, metrics.value("opencache_cache_status_total", "expr", expr, "outcome", "origin_error"));
        assertEquals(1, metrics.value("opencache_cache_status_total", "expr", down, "outcome", "origin_error"));
        assertEquals(1, metrics.value("opencache_cache_status_total", "expr", expr, "outcome", "pass"));
        assertEquals(1, metrics.value("opencache_cache_status_total", "expr", expr, "outcome", "refused"));
        for (String code : new String[] {"2xx", "3xx", "4xx", "5xx"}) {
            assertTrue(metrics.value("opencache_responses_total", "expr", expr, "code", code) >= 1, code);
        }
        assertEquals(1, metrics.value("opencache_responses_total", "expr", down, "code", "5xx"));

        // Hits and misses apart, each with the same modest set of buckets.
        double hits = metrics.value("opencache_request_duration_seconds_count", "expr", expr, "cache", "hit");
        double misses = metrics.value("opencache_request_duration_seconds_count", "expr", expr, "cache", "miss");
        assertTrue(hits >= 2, "hit and stale: " + hits);
        double all = metrics.find("opencache_cache_status_total", "expr", expr).stream()
                .mapToDouble(PrometheusText.Sample::value).sum();
        assertEquals(all, hits + misses, "every response timed once");
        assertTrue(metrics.value("opencache_request_duration_seconds_sum", "expr", expr, "cache", "miss") > 0);
        assertEquals(hits, metrics.value("opencache_request_duration_seconds_bucket", "expr", expr, "cache", "hit",
                "le", "+Inf"));
        int buckets = metrics.find("opencache_request_duration_seconds_bucket", "expr", expr, "cache", "hit").size();
        assertTrue(buckets >= 10 && buckets <= 16, "buckets: " + buckets);

        assertTrue(metrics.value("opencache_origin_connect_seconds_count", "expr", expr) >= 1);
        assertTrue(metrics.value("opencache_origin_first_byte_seconds_count", "expr", expr) >= misses - 2,
                "every origin exchange but the refused ones has a first byte");
        assertTrue(metrics.value("opencache_origin_first_byte_seconds_sum", "expr", expr) > 0);
        // The client's keep-alive connection is still open on the instance's port.
        assertTrue(metrics.value("opencache_open_connections", "expr", expr) >= 1);

        assertTrue(metrics.value("opencache_cache_hits_total", "expr", expr) >= 1);
        assertTrue(metrics.value("opencache_cache_hit_bytes_total", "expr", expr) > 0);
        assertTrue(metrics.value("opencache_cache_objects", "expr", expr) >= 1);
        assertEquals(1, metrics.value("opencache_instance_serving", "expr", expr));

        for (String tier : new String[] {"memory", "disk"}) {
            assertTrue(metrics.value("opencache_store_objects", "tier", tier) >= 1, tier);
            assertTrue(metrics.value("opencache_store_bytes", "tier", tier) > 0, tier);
            assertTrue(metrics.value("opencache_store_evictions_total", "tier", tier) >= 1, tier + "\n" + metrics);
        }
    }

    @Test
    void aStoppedInstanceLeavesNoSeriesAndARestartStartsAfresh() throws Exception {
        String expr = originExpr();
        rpc.result("start", "{\"expr\":\"" + expr + "\"}");
        int port = rpc.instancePort(expr);
        get(port, "/s");
        get(port, "/s");
        assertEquals(1, nodeMetrics().value("opencache_cache_status_total", "expr", expr, "outcome", "hit"));

        rpc.result("pause", "{\"expr\":\"" + expr + "\"}");
        PrometheusText paused = nodeMetrics();
        assertEquals(0, paused.value("opencache_instance_serving", "expr", expr), "a paused instance keeps its series");
        assertEquals(1, paused.value("opencache_cache_status_total", "expr", expr, "outcome", "hit"));
        Await.until("connections closed with the port", Duration.ofSeconds(10),
                () -> nodeMetrics().value("opencache_open_connections", "expr", expr) == 0);

        rpc.result("stop", "{\"expr\":\"" + expr + "\"}");
        PrometheusText stopped = nodeMetrics();
        assertFalse(stopped.anyLabelled("expr", expr), stopped.toString());
        assertTrue(stopped.names().contains("opencache_store_objects"), "the node's own series stay");

        rpc.result("start", "{\"expr\":\"" + expr + "\"}");
        get(rpc.instancePort(expr), "/s");
        PrometheusText restarted = nodeMetrics();
        assertEquals(0, restarted.value("opencache_cache_status_total", "expr", expr, "outcome", "hit"));
        assertEquals(1, restarted.value("opencache_cache_status_total", "expr", expr, "outcome", "miss"));
    }

    private PrometheusText controllerMetrics(RpcClient client) throws Exception {
        HttpResponse<String> response = client.get("/metrics");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        return PrometheusText.parse(response.body());
    }

    @Test
    void theControllerExportsNodesInstancesCallsLatencyAndTheDatabase() throws Exception {
        rpc.result("start", "{\"expr\":\"" + originExpr() + "\"}");
        rpc.result("pause", "{\"expr\":\"" + originExpr() + "\"}");
        rpc.result("stat", null);
        rpc.error("start", "{\"expr\":\"\"}", -32602);
        rpc.answer("no_such_method", null);

        PrometheusText metrics = controllerMetrics(rpc);
        assertEquals(1, metrics.value("opencache_controller_nodes", "status", "up"));
        assertEquals(0, metrics.value("opencache_controller_nodes", "status", "down"));
        assertEquals(1, metrics.value("opencache_controller_instances", "status", "pause"));
        assertEquals(0, metrics.value("opencache_controller_instances", "status", "start"));
        assertEquals(1, metrics.value("opencache_controller_database_up"));
        assertEquals(1, metrics.value("opencache_controller_rpc_calls_total", "method", "start", "outcome", "ok"));
        assertEquals(1, metrics.value("opencache_controller_rpc_calls_total", "method", "start", "outcome", "error"));
        assertEquals(1, metrics.value("opencache_controller_rpc_calls_total", "method", "invalid", "outcome", "error"));
        assertTrue(metrics.value("opencache_controller_rpc_calls_total", "method", "nodes", "outcome", "ok") >= 1);
        assertFalse(metrics.anyLabelled("method", "no_such_method"), "client-chosen names make no series");
        assertEquals(2, metrics.value("opencache_controller_rpc_duration_seconds_count", "method", "start"));
        assertTrue(metrics.value("opencache_controller_rpc_duration_seconds_sum", "method", "start") > 0);
        assertEquals(2, metrics.value("opencache_controller_rpc_duration_seconds_bucket", "method", "start",
                "le", "+Inf"));

        node.close();
        node = null;
        Await.until("node down", Duration.ofSeconds(15), () -> controllerMetrics(rpc)
                .value("opencache_controller_nodes", "status", "down") == 1);
    }

    @Test
    void aControllerWithoutItsDatabaseSaysSo() throws Exception {
        ControllerConfig unreachable = TestConfigs.controller(dir.resolve("other"))
                .database("mongodb://127.0.0.1:" + Ports.free() + "/opencache").build();
        try (Controller lonely = Controller.start(unreachable)) {
            PrometheusText metrics = controllerMetrics(new RpcClient(lonely.apiAddress()));
            assertEquals(0, metrics.value("opencache_controller_database_up"));
        }
    }
}
