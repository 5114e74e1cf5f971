package org.opencache.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ConfigKey;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.json.Json;
import org.opencache.controller.Controller;
import org.opencache.node.Node;
import org.opencache.testing.Await;
import org.opencache.testing.Ports;
import org.opencache.testing.PrometheusText;
import org.opencache.testing.RpcClient;
import org.opencache.testing.TestConfigs;
import org.opencache.testing.TestOrigin;

/**
 * {@code examples/grafana/opencache.json} asks only for metrics that a real controller and node
 * export, and {@code examples/prometheus/prometheus.yml} scrapes both where the samples put them
 * (issue 18 item 4).
 */
class DashboardQueriesIT {
    /** Surefire and failsafe run in the module directory, {@code examples/}. */
    private static final Path DASHBOARD = Path.of("grafana", "opencache.json");
    private static final Path SCRAPE_CONFIG = Path.of("prometheus", "prometheus.yml");

    /** Words of PromQL that are not metric names (functions are told apart by their parenthesis). */
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");

    @TempDir
    Path dir;

    /** The metric names a PromQL expression reads. */
    static Set<String> metricNames(String promql) {
        String bare = promql
                .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"") // strings (label values)
                .replaceAll("\\{[^}]*}", " ")                  // label matchers
                .replaceAll("\\[[^]]*]", " ")                  // ranges, e.g. [$__rate_interval]
                .replaceAll("\\$\\w+", " ")                    // Grafana variables
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String word = identifier.group();
            boolean function = bare.substring(identifier.end()).stripLeading().startsWith("(");
            if (!function && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }

    @Test
    void theNameParserSkipsFunctionsLabelsVariablesAndKeywords() {
        assertEquals(Set.of("a_bucket", "b_total"), metricNames("histogram_quantile(0.99, sum by (le, cache) "
                + "(rate(a_bucket{expr=~\"$expr\", x=\"y{z}\"}[$__rate_interval]))) / on (le) group_left b_total"));
    }

    @Test
    void everyDashboardQueryUsesOnlyExportedMetrics() throws Exception {
        JsonNode dashboard = Json.mapper().readTree(Files.readString(DASHBOARD));
        List<String> queries = new ArrayList<>();
        Set<String> titles = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            titles.add(panel.get("title").asText());
            for (JsonNode target : panel.get("targets")) {
                queries.add(target.get("expr").asText());
            }
        }
        Set<String> used = new TreeSet<>();
        queries.forEach(query -> used.addAll(metricNames(query)));
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher metric = LABEL_VALUES.matcher(variable.path("definition").asText());
            if (metric.find()) {
                used.add(metric.group(1));
            }
        }
        assertTrue(titles.containsAll(Set.of("Hit ratio", "Requests by outcome", "Latency p50 / p99, hit vs miss",
                "Bytes per tier", "Nodes up")), titles.toString());
        assertTrue(used.size() >= 10, "the parser found the dashboard's metrics: " + used);

        Set<String> exported = exported();
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(exported);
        assertTrue(unknown.isEmpty(), "the dashboard asks for metrics nobody exports: " + unknown
                + "\nexported: " + exported);
    }

    /** Every sample name a controller and a node export after a miss and a hit. */
    private Set<String> exported() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (TestOrigin origin = new TestOrigin().routeAll(TestOrigin.describe())) {
            ControllerConfig controllerConfig = TestConfigs.controller(dir.resolve("db")).build();
            try (Controller controller = Controller.start(controllerConfig);
                 Node node = Node.start(TestConfigs.node(dir.resolve("cache"), controllerConfig.notificationPort())
                         .set("node_port", Ports.free()).set("port_range", "20471,20480").build())) {
                RpcClient rpc = new RpcClient(controller.apiAddress());
                rpc.awaitReady();
                Await.until("node registered", Duration.ofSeconds(15),
                        () -> rpc.answer("nodes", null).path("result").size() == 1);
                String expr = "127.0.0.1:" + origin.port();
                rpc.result("start", "{\"expr\":\"" + expr + "\"}");
                int port = rpc.result("nodes", null).get(0).get("instances").get(0).get("port").asInt();
                for (int i = 0; i < 2; i++) {
                    assertEquals(200, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/d"))
                            .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
                }
                Set<String> names = new TreeSet<>(scrape(http, "http://127.0.0.1:" + node.statusAddress().getPort()));
                names.addAll(scrape(http, "http://" + controller.apiAddress().getHostString() + ":"
                        + controller.apiAddress().getPort()));
                return names;
            }
        }
    }

    private static Set<String> scrape(HttpClient http, String base) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), base);
        return PrometheusText.parse(response.body()).names();
    }

    @Test
    void theScrapeConfigTargetsTheSamplesControllerAndNodePorts() throws Exception {
        String config = Files.readString(SCRAPE_CONFIG);
        assertTrue(config.contains("job_name: opencache-controller"), config);
        assertTrue(config.contains("job_name: opencache-node"), config);
        assertTrue(config.contains("\"127.0.0.1:" + ConfigKey.CONTROLLER_PORT.defaultValue() + "\""), config);
        assertTrue(config.contains("\"127.0.0.1:" + ConfigKey.NODE_PORT.defaultValue() + "\""), config);
        assertFalse(config.contains("\t"), "YAML has no tabs");
    }
}
