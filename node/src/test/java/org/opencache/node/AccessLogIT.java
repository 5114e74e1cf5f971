package org.opencache.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.json.Json;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.testing.Await;
import org.opencache.testing.Ports;
import org.opencache.testing.TestConfigs;
import org.opencache.testing.TestOrigin;

/**
 * {@code access_log} on a real node (docs/design.md §6): a miss, a hit and a 502 from an origin
 * that is down each get one line, in nginx's combined format or as JSON, with the Cache-Status,
 * the instance, the upstream time (none for the hit and the 502) and the total time; a reopen after the file
 * was renamed (what logrotate does) sends the next lines to a new file and loses none; the
 * dropped-lines counter is on {@code /metrics}. The instances are the node's own restored ones
 * ({@code instances.json}), so no controller is needed.
 */
class AccessLogIT {
    /** Below Linux's ephemeral range, apart from the other tests' ranges. */
    private static final int CACHING_PORT = 21711;
    private static final int DOWN_PORT = 21712;
    /** nginx's combined, then "Cache-Status" "instance" upstream total. */
    private static final Pattern COMBINED = Pattern.compile("(\\S+) - (\\S+) \\[([^\\]]+)] \"([^\"]*)\" (\\d{3}) (\\d+)"
            + " \"([^\"]*)\" \"([^\"]*)\" \"([^\"]*)\" \"([^\"]*)\" (-|\\d+\\.\\d{3}) (\\d+\\.\\d{3})");
    private static final DateTimeFormatter TIME_LOCAL = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    @TempDir
    Path dir;
    TestOrigin origin;
    Node node;
    Path accessLog;
    String cachingExpr;
    String downExpr;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void origin() throws Exception {
        origin = new TestOrigin().route("/k", TestOrigin.ok("cached body", "Cache-Control", "max-age=60"));
        cachingExpr = "127.0.0.1:" + origin.port();
        downExpr = "127.0.0.1:" + Ports.free(); // nothing listens there
        accessLog = dir.resolve("logs/access.log");
        Files.createDirectories(accessLog.getParent());
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        origin.close();
    }

    private void startNode(String format) throws Exception {
        Path cache = dir.resolve("cache");
        Files.createDirectories(cache);
        Files.write(cache.resolve("instances.json"), Json.mapper().writeValueAsBytes(List.of(
                new InstanceState(cachingExpr, InstanceStatus.START, CACHING_PORT, 0),
                new InstanceState(downExpr, InstanceStatus.START, DOWN_PORT, 0))));
        // No controller listens on the link's port: instances serve without one.
        node = Node.start(TestConfigs.node(cache, Ports.free())
                .set("node_port", Ports.free())
                .set("port_range", CACHING_PORT + "," + DOWN_PORT)
                .set("origin_connect_timeout", "2s")
                .set("access_log", accessLog)
                .set("access_log_format", format)
                .build());
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("User-Agent", "AccessLogIT/1.0 \"quoted\"")
                .header("Referer", "http://example.com/from")
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The miss, the hit and the 502, in this order. */
    private void missHitAndOriginDown() throws Exception {
        HttpResponse<String> miss = get(CACHING_PORT, "/k?q=1");
        assertEquals(200, miss.statusCode());
        HttpResponse<String> hit = get(CACHING_PORT, "/k?q=1");
        assertTrue(hit.headers().firstValue("Cache-Status").orElse("").contains("hit"), hit.headers().toString());
        assertEquals(502, get(DOWN_PORT, "/down").statusCode());
    }

    private static List<String> lines(Path file, int count) {
        return Await.value(count + " lines in " + file, Duration.ofSeconds(10), () -> {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            return lines.size() >= count ? java.util.Optional.of(lines) : java.util.Optional.empty();
        }, () -> Files.exists(file) ? Files.readString(file) : "no file");
    }

    private static Matcher combined(String line) {
        Matcher m = COMBINED.matcher(line);
        assertTrue(m.matches(), line);
        return m;
    }

    @Test
    void combinedLinesForAMissAHitAndA502() throws Exception {
        startNode("combined");
        Instant before = Instant.now().minusSeconds(1);
        missHitAndOriginDown();
        Instant after = Instant.now().plusSeconds(1);
        List<String> lines = lines(accessLog, 3);
        assertEquals(3, lines.size(), String.join("\n", lines));

        Matcher miss = combined(lines.get(0));
        assertEquals("127.0.0.1", miss.group(1));
        assertEquals("-", miss.group(2));
        Instant start = ZonedDateTime.parse(miss.group(3), TIME_LOCAL).toInstant();
        assertTrue(!start.isBefore(before) && !start.isAfter(after), "the request's start: " + miss.group(3));
        assertEquals("GET /k?q=1 HTTP/1.1", miss.group(4));
        assertEquals("200", miss.group(5));
        assertEquals(Integer.toString("cached body".length()), miss.group(6));
        assertEquals("http://example.com/from", miss.group(7));
        assertEquals("AccessLogIT/1.0 \\x22quoted\\x22", miss.group(8), "escaped as nginx does");
        assertTrue(miss.group(9).startsWith("OpenCache; fwd=miss"), miss.group(9));
        assertEquals(cachingExpr, miss.group(10));
        assertTrue(new BigDecimal(miss.group(11)).compareTo(new BigDecimal(miss.group(12))) <= 0,
                "upstream within total: " + lines.get(0));

        Matcher hit = combined(lines.get(1));
        assertEquals("OpenCache; hit", hit.group(9));
        assertEquals("-", hit.group(11), "a hit has no upstream time");
        assertEquals(Integer.toString("cached body".length()), hit.group(6));

        Matcher down = combined(lines.get(2));
        assertEquals("GET /down HTTP/1.1", down.group(4));
        assertEquals("502", down.group(5));
        assertTrue(down.group(9).contains("detail=origin-"), down.group(9));
        assertEquals(downExpr, down.group(10));
        assertEquals("-", down.group(11), "no origin answered: no upstream time (the total shows the wait)");

        String metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + node.statusAddress().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("opencache_access_log_dropped_total 0.0"), metrics);
    }

    @Test
    void jsonLinesHaveTheSameFieldsNamed() throws Exception {
        startNode("json");
        missHitAndOriginDown();
        List<String> lines = lines(accessLog, 3);
        assertEquals(3, lines.size(), String.join("\n", lines));
        JsonNode miss = Json.mapper().readTree(lines.get(0));
        assertEquals("127.0.0.1", miss.get("remote_addr").asText());
        assertTrue(miss.get("remote_user").isNull());
        OffsetDateTime start = OffsetDateTime.parse(miss.get("time").asText());
        assertTrue(Duration.between(start.toInstant(), Instant.now()).abs().compareTo(Duration.ofSeconds(30)) < 0);
        assertEquals("GET /k?q=1 HTTP/1.1", miss.get("request").asText());
        assertEquals(200, miss.get("status").asInt());
        assertEquals("cached body".length(), miss.get("body_bytes_sent").asInt());
        assertEquals("http://example.com/from", miss.get("http_referer").asText());
        assertEquals("AccessLogIT/1.0 \"quoted\"", miss.get("http_user_agent").asText());
        assertTrue(miss.get("cache_status").asText().startsWith("OpenCache; fwd=miss"));
        assertEquals(cachingExpr, miss.get("instance").asText());
        assertTrue(miss.get("upstream_time").isNumber() && miss.get("total_time").isNumber(), lines.get(0));

        JsonNode hit = Json.mapper().readTree(lines.get(1));
        assertEquals("OpenCache; hit", hit.get("cache_status").asText());
        assertTrue(hit.get("upstream_time").isNull(), lines.get(1));

        JsonNode down = Json.mapper().readTree(lines.get(2));
        assertEquals(502, down.get("status").asInt());
        assertEquals(downExpr, down.get("instance").asText());
        assertTrue(down.get("upstream_time").isNull(), lines.get(2));
    }

    @Test
    void reopenAfterARenameWritesTheNextLinesToANewFileAndLosesNone() throws Exception {
        startNode("combined");
        missHitAndOriginDown();
        assertEquals(3, lines(accessLog, 3).size());
        Path rotated = accessLog.resolveSibling("access.log.1");
        Files.move(accessLog, rotated); // logrotate's rename: the node still writes to the open file
        node.reopenLogs().get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            assertEquals(200, get(CACHING_PORT, "/k?q=1").statusCode());
        }
        List<String> after = lines(accessLog, 5);
        assertEquals(5, after.size(), String.join("\n", after));
        after.forEach(line -> assertEquals("OpenCache; hit", combined(line).group(9)));
        assertEquals(3, Files.readAllLines(rotated).size(), "the renamed file keeps the lines before the reopen");
    }
}
