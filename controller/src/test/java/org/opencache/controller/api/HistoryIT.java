package org.opencache.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.SettingException;
import org.opencache.common.json.Json;
import org.opencache.common.protocol.InstanceStats;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.controller.state.Database;
import org.opencache.controller.state.MongoControllerState;
import org.opencache.controller.state.NodeStatus;
import org.opencache.controller.state.StatRecord;
import org.opencache.testing.MutableClock;
import org.opencache.testing.TestConfigs;

/**
 * {@code history} over the embedded server with the real driver: reports are recorded as the
 * link records them, and the method's answer is read as the JSON a client gets.
 */
class HistoryIT {
    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    @TempDir
    Path dataPath;
    private Database database;
    private MongoControllerState state;
    private final MutableClock clock = new MutableClock(T0.plus(Duration.ofHours(2)));
    private ApiService api;

    @BeforeEach
    void open() throws InterruptedException, SettingException {
        database = Database.open(TestConfigs.controller(dataPath).build());
        assertTrue(database.awaitReady(Duration.ofSeconds(20)), "database ready");
        state = new MongoControllerState(database);
        api = new ApiService(state, commands -> {
            throw new AssertionError("history sends no command");
        }, Duration.ofHours(24), clock);
        state.registerNode("uuid-1", "10.0.0.1", 49002, T0);
        state.registerNode("uuid-2", "10.0.0.2", 49002, T0);
    }

    @AfterEach
    void close() {
        database.close();
    }

    /** Records a report of cumulative counters {@code hits} (1 KiB each) and {@code misses} at 12:00 + {@code minutes}. */
    private void report(int nodeId, String expr, double minutes, long hits, long misses) {
        state.recordStat(new StatRecord(nodeId, new InstanceStats(expr, InstanceStatus.START, 49003, 0, hits,
                hits * 1024, misses, misses * 1024, 0, 0, 0), T0.plusMillis((long) (minutes * 60_000))));
    }

    private JsonNode history(String expr, String nodeId, String from, String to, String step, String by) {
        return Json.mapper().valueToTree(api.history(expr, nodeId, from, to, step, by));
    }

    /** The hits of each point of a series. */
    private static String hits(JsonNode series) {
        StringBuilder hits = new StringBuilder();
        series.path("points").forEach(p -> hits.append(hits.isEmpty() ? "" : ",").append(p.path("cache_hit").asLong()));
        return hits.toString();
    }

    @Test
    void perMinuteDeltasAcrossAnHourBoundaryAndARestart() {
        // Node 1 reports a.example every minute from 11:58; it restarts between 12:03 and 12:04.
        long[] hits = {0, 5, 10, 20, 30, 40, 3, 13};
        for (int i = 0; i < hits.length; i++) {
            report(1, "a.example", i - 2, hits[i], 1);
        }

        JsonNode result = history("a.example", "1", "2026-11-23T12:00:00Z", "2026-11-23T12:06:00Z", "60", null);

        assertEquals("2026-11-23T12:00:00Z", result.path("from").asText());
        assertEquals(60, result.path("step").asInt());
        assertEquals("all", result.path("by").asText());
        assertEquals(1, result.path("series").size());
        JsonNode series = result.path("series").get(0);
        assertEquals("5,10,10,10,3,10", hits(series), "12:00 counts its increase over 11:59's; 12:04 restarted");
        JsonNode first = series.path("points").get(0);
        assertEquals("2026-11-23T12:00:00Z", first.path("t").asText());
        assertEquals(1, first.path("reports").asInt());
        assertEquals(5 * 1024, first.path("cache_hit_size").asLong());
        assertEquals(0, first.path("cache_miss").asLong());
        assertEquals(1.0, first.path("hit_ratio").asDouble());
        assertTrue(series.has("points") && !series.has("node-id") && !series.has("expr"), "a sum names no instance");

        assertEquals("15,20,13", hits(history("a.example", "1", "2026-11-23T12:00:00Z", "2026-11-23T12:06:00Z",
                "2m", null).path("series").get(0)), "two minutes per point");
        assertEquals("48", hits(history(null, null, "2026-11-23T12:00:00Z", "2026-11-23T12:06:00Z",
                "1h", null).path("series").get(0)), "one point: everything in the window");
    }

    @Test
    void theSelectionIsSummedOrGivenPerInstance() {
        for (int minute = 0; minute <= 3; minute++) {
            report(1, "a.example", minute, 10L * minute, 0);
            report(1, "b.example", minute, 100L * minute, 0);
            report(2, "a.example", minute, 1000L * minute, minute);
        }
        String from = "2026-11-23T12:01:00Z";
        String to = "2026-11-23T12:04:00Z";

        assertEquals("1110,1110,1110", hits(history(null, null, from, to, "60", null).path("series").get(0)));
        assertEquals("1010,1010,1010", hits(history("a.example", null, from, to, "60", "all").path("series").get(0)));
        assertEquals("110,110,110", hits(history(null, "1", from, to, "60", null).path("series").get(0)));

        JsonNode perInstance = history("a.example|b.example", "1|2", from, to, "60", "instance");
        assertEquals("instance", perInstance.path("by").asText());
        assertEquals(3, perInstance.path("series").size());
        JsonNode last = perInstance.path("series").get(2);
        assertEquals(2, last.path("node-id").asInt());
        assertEquals("a.example", last.path("expr").asText());
        assertEquals("1000,1000,1000", hits(last));
        assertEquals(1000.0 / 1001, last.path("points").get(0).path("hit_ratio").asDouble(), 1e-12);
    }

    @Test
    void aNodeThatIsDownAndAnInstanceThatIsGoneStillHaveTheirHistory() {
        report(2, "gone.example", 0, 0, 0);
        report(2, "gone.example", 1, 7, 0);
        state.updateNodeStatus(2, NodeStatus.DOWN, null);

        assertEquals("7", hits(history(null, "2", "2026-11-23T12:00:00Z", "2026-11-23T12:02:00Z", "2m", null)
                .path("series").get(0)));
    }

    @Test
    void emptyWindowsAndDefaults() {
        JsonNode none = history(null, null, null, null, null, null);
        assertEquals("2026-11-23T13:00:00Z", none.path("from").asText(), "the hour before now");
        assertEquals("2026-11-23T14:00:00Z", none.path("to").asText());
        assertEquals(60, none.path("series").get(0).path("points").size());
        JsonNode idle = none.path("series").get(0).path("points").get(0);
        assertEquals(0, idle.path("reports").asInt());
        assertTrue(idle.path("hit_ratio").isNull(), "an idle interval has no ratio: " + idle);

        assertEquals(0, history(null, null, null, null, null, "instance").path("series").size());
    }

    @Test
    void badParamsAreInvalidParams() {
        assertEquals("unknown node-id 7 (known: 1, 2)", invalid(() -> history(null, "7", null, null, null, null)));
        assertTrue(invalid(() -> history(null, null, "yesterday", null, null, null))
                .startsWith("from: 'yesterday' is not an ISO-8601 instant"));
        assertTrue(invalid(() -> history(null, null, null, null, null, "node")).startsWith("by: 'node' is neither"));
        assertTrue(invalid(() -> history(null, null, "2026-11-22T14:00:00Z", null, "10", null))
                .startsWith("step 10s gives 8640 points"));
    }

    @Test
    void moreThanAHundredSeriesPerInstanceIsRefused() {
        for (int i = 0; i <= ApiService.MAX_HISTORY_SERIES; i++) {
            report(1, "host" + i + ".example", 70, 1, 0);
        }
        assertEquals("by 'instance' would give 101 series; at most 100: narrow 'expr' or 'node-id', or omit 'by'"
                + " for their sum", invalid(() -> history(null, null, null, null, null, "instance")));
        assertEquals(1, history(null, null, null, null, null, null).path("series").size());
    }

    private static String invalid(Runnable call) {
        RpcException e = assertThrows(RpcException.class, call::run);
        assertEquals(-32602, e.code());
        return (String) e.data();
    }
}
