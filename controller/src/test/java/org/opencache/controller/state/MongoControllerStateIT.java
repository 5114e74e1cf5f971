package org.opencache.controller.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.controller.state.TestSupport.stat;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.testing.TestConfigs;

class MongoControllerStateIT {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path dataPath;
    private Database database;
    private MongoControllerState state;

    @BeforeEach
    void open() throws InterruptedException {
        database = TestSupport.openReady(TestConfigs.controller(dataPath).build());
        state = new MongoControllerState(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void sameUuidKeepsItsIdAndNewUuidTakesTheNext() {
        NodeRecord a = state.registerNode("uuid-a", "10.0.0.1", 49002, T0);
        NodeRecord b = state.registerNode("uuid-b", "10.0.0.2", 49002, T0);
        NodeRecord again = state.registerNode("uuid-a", "10.0.0.9", 49100, T0.plusSeconds(60));

        assertEquals(new NodeRecord(1, "uuid-a", "10.0.0.1", 49002, NodeStatus.UP, T0, "unknown"), a);
        assertEquals(2, b.nodeId());
        assertEquals(new NodeRecord(1, "uuid-a", "10.0.0.9", 49100, NodeStatus.UP, T0.plusSeconds(60), "unknown"), again);
        assertEquals(List.of(again, b), state.nodes());
        assertEquals(Optional.of(b), state.node(2));
        assertEquals(Optional.empty(), state.node(3));
    }

    @Test
    void eachHelloRecordsTheNodesVersion() {
        state.registerNode("uuid-a", "10.0.0.1", 49002, "0.1.0", T0);
        assertEquals("0.1.0", state.node(1).orElseThrow().version());
        state.registerNode("uuid-a", "10.0.0.1", 49002, "0.2.0", T0.plusSeconds(60));
        assertEquals("0.2.0", state.nodes().get(0).version(), "an upgraded node's next hello replaces it");
    }

    @Test
    void concurrentHellosOfDistinctNodesGetDistinctIds() throws Exception {
        List<Integer> ids = registerConcurrently(20, i -> "uuid-" + i);
        assertEquals(20, Set.copyOf(ids).size(), ids.toString());
        assertEquals(new TreeSet<>(ids), state.nodes().stream().map(NodeRecord::nodeId)
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void concurrentHellosOfOneNodeGetOneId() throws Exception {
        List<Integer> ids = registerConcurrently(10, i -> "the-same-uuid");
        assertEquals(1, Set.copyOf(ids).size(), ids.toString());
        assertEquals(1, state.nodes().size());
    }

    private List<Integer> registerConcurrently(int count, IntFunction<String> uuid)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = uuid.apply(i);
                Callable<Integer> hello = () -> {
                    go.await();
                    return state.registerNode(id, "10.0.0.1", 49002, T0).nodeId();
                };
                futures.add(pool.submit(hello));
            }
            go.countDown();
            List<Integer> ids = new ArrayList<>();
            for (Future<Integer> future : futures) {
                ids.add(future.get());
            }
            return ids;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void updatesNodeStatusAndKeepsLastSeenWhenNotHeardFrom() {
        int id = state.registerNode("uuid-a", "10.0.0.1", 49002, T0).nodeId();

        state.updateNodeStatus(id, NodeStatus.DOWN, null);
        assertEquals(new NodeRecord(id, "uuid-a", "10.0.0.1", 49002, NodeStatus.DOWN, T0, "unknown"), state.node(id).get());

        state.updateNodeStatus(id, NodeStatus.UP, T0.plusSeconds(5));
        assertEquals(T0.plusSeconds(5), state.node(id).get().lastSeen());
        assertEquals(NodeStatus.UP, state.node(id).get().status());
    }

    @Test
    void forgettingADownNodeDeletesItAndEverythingItReportedOnly() {
        int gone = state.registerNode("uuid-a", "10.0.0.1", 49002, T0).nodeId();
        int kept = state.registerNode("uuid-b", "10.0.0.2", 49002, T0).nodeId();
        for (int id : new int[] {gone, kept}) {
            state.putInstance(new InstanceRecord(id, "example.com", InstanceStatus.START, 49003, Duration.ZERO));
            state.recordStat(stat(id, "example.com", 10, T0));
            state.recordAlert(id, "load", 600, T0);
        }
        state.updateNodeStatus(gone, NodeStatus.DOWN, null);

        NodeRecord forgotten = state.forgetNode(gone).orElseThrow();

        assertEquals(new NodeRecord(gone, "uuid-a", "10.0.0.1", 49002, NodeStatus.DOWN, T0, "unknown"), forgotten);
        assertEquals(List.of(kept), state.nodes().stream().map(NodeRecord::nodeId).toList());
        assertEquals(List.of(kept), state.instances().stream().map(InstanceRecord::nodeId).toList());
        assertEquals(List.of(kept), state.stats().stream().map(StatRecord::nodeId).toList());
        assertEquals(List.of(), state.statsHistory(gone, "example.com", T0, T0));
        assertEquals(1, state.statsHistory(kept, "example.com", T0, T0).size());
        assertEquals(List.of(kept), database.execute(db -> db.getCollection(Schema.ALERTS).find()
                .map(alert -> alert.getInteger(Documents.NODE_ID)).into(new ArrayList<>())));
        assertEquals(Optional.empty(), state.forgetNode(gone), "forgotten already");
    }

    @Test
    void aNodeThatIsUpIsNotForgotten() {
        int id = state.registerNode("uuid-a", "10.0.0.1", 49002, T0).nodeId();
        state.putInstance(new InstanceRecord(id, "example.com", InstanceStatus.START, 49003, Duration.ZERO));

        assertEquals(Optional.empty(), state.forgetNode(id));
        assertEquals(Optional.empty(), state.forgetNode(99));
        assertEquals(1, state.nodes().size());
        assertEquals(1, state.instances().size());
    }

    @Test
    void aForgottenNodeThatSaysHelloAgainIsANewNode() {
        int id = state.registerNode("uuid-a", "10.0.0.1", 49002, T0).nodeId();
        state.updateNodeStatus(id, NodeStatus.DOWN, null);
        state.forgetNode(id).orElseThrow();

        NodeRecord again = state.registerNode("uuid-a", "10.0.0.1", 49002, T0.plusSeconds(1));

        assertEquals(id + 1, again.nodeId(), "ids are never reused");
        assertEquals(List.of(again), state.nodes());
    }

    @Test
    void putsReplacesAndRemovesInstances() {
        InstanceRecord videos = new InstanceRecord(1, "example.com/videos", InstanceStatus.START, 49003, Duration.ZERO);
        InstanceRecord images = new InstanceRecord(1, "example.com/images", InstanceStatus.START, 49004,
                Duration.ofMinutes(5));
        InstanceRecord other = new InstanceRecord(2, "a.example", InstanceStatus.PAUSE, 49003, Duration.ZERO);
        state.putInstance(other);
        state.putInstance(videos);
        state.putInstance(images);
        assertEquals(List.of(images, videos, other), state.instances());

        InstanceRecord stopped = new InstanceRecord(1, "example.com/videos", InstanceStatus.STOP, 0, Duration.ZERO);
        state.putInstance(stopped);
        assertEquals(List.of(images, stopped, other), state.instances());

        state.recordStat(stat(1, "example.com/videos", 5, T0));
        state.removeInstance(1, "example.com/videos");
        assertEquals(List.of(images, other), state.instances());
        assertEquals(List.of(), state.stats());
        // History stays until it expires.
        assertEquals(1, state.statsHistory(1, "example.com/videos", T0, T0).size());
    }

    @Test
    void latestStatWinsAndHistoryFillsHourBuckets() {
        StatRecord first = stat(1, "example.com", 1, T0.plus(Duration.ofMinutes(50)));
        StatRecord second = stat(1, "example.com", 2, T0.plus(Duration.ofMinutes(59)));
        StatRecord third = stat(1, "example.com", 3, T0.plus(Duration.ofMinutes(65)));
        StatRecord elsewhere = stat(2, "example.com", 9, T0);
        state.recordStat(first);
        state.recordStat(third); // reported out of order
        state.recordStat(second);
        state.recordStat(elsewhere);

        assertEquals(List.of(second, elsewhere), state.stats());
        assertEquals(List.of(first, second, third),
                state.statsHistory(1, "example.com", T0, T0.plus(Duration.ofHours(2))));
        assertEquals(List.of(second, third), state.statsHistory(1, "example.com",
                T0.plus(Duration.ofMinutes(55)), T0.plus(Duration.ofMinutes(65))));
        assertEquals(List.of(),
                state.statsHistory(1, "example.com", T0.plusSeconds(1), T0.plus(Duration.ofMinutes(49))));
        assertEquals(List.of(), state.statsHistory(1, "example.com", T0.plus(Duration.ofHours(2)), T0));

        assertEquals(List.of(2, 1), bucketCounts(1, "example.com"));
    }

    @Test
    void historyInstancesAreFoundByTheHourTheirBucketsCover() {
        state.recordStat(stat(1, "b.example", 1, T0.plus(Duration.ofMinutes(10))));
        state.recordStat(stat(1, "a.example", 1, T0.plus(Duration.ofMinutes(70))));
        state.recordStat(stat(2, "a.example", 1, T0.plus(Duration.ofMinutes(130))));
        state.recordStat(stat(2, "a.example", 2, T0.plus(Duration.ofMinutes(131))));

        Instant end = T0.plus(Duration.ofHours(3));
        assertEquals(List.of(new InstanceKey(1, "a.example"), new InstanceKey(1, "b.example"),
                new InstanceKey(2, "a.example")), state.historyInstances(null, null, T0, end), "one key per instance");
        assertEquals(List.of(new InstanceKey(1, "a.example"), new InstanceKey(2, "a.example")),
                state.historyInstances(null, null, T0.plus(Duration.ofMinutes(65)), end));
        assertEquals(List.of(new InstanceKey(1, "a.example")),
                state.historyInstances(null, null, T0.plus(Duration.ofMinutes(65)), T0.plus(Duration.ofMinutes(90))));
        assertEquals(List.of(new InstanceKey(2, "a.example")), state.historyInstances(List.of(2), null, T0, end));
        assertEquals(List.of(new InstanceKey(1, "b.example")),
                state.historyInstances(List.of(1, 2), List.of("b.example"), T0, end));
        assertEquals(List.of(), state.historyInstances(List.of(), null, T0, end));
        assertEquals(List.of(), state.historyInstances(null, null, end, T0));
    }

    @Test
    void theStatBeforeATimeIsFoundInItsHourOrTheNewestHourBefore() {
        StatRecord early = stat(1, "example.com", 1, T0.plus(Duration.ofMinutes(10)));
        StatRecord late = stat(1, "example.com", 2, T0.plus(Duration.ofMinutes(50)));
        StatRecord next = stat(1, "example.com", 3, T0.plus(Duration.ofHours(5).plusMinutes(30)));
        state.recordStat(late);
        state.recordStat(early);
        state.recordStat(next);
        InstanceKey key = new InstanceKey(1, "example.com");

        assertEquals(Optional.empty(), state.statBefore(key, early.seen()), "before excludes its own time");
        assertEquals(Optional.of(early), state.statBefore(key, late.seen()));
        assertEquals(Optional.of(late), state.statBefore(key, late.seen().plusMillis(1)));
        assertEquals(Optional.of(late), state.statBefore(key, next.seen()), "hours apart, through the empty ones");
        assertEquals(Optional.of(late), state.statBefore(key, T0.plus(Duration.ofHours(5).plusMinutes(1))));
        assertEquals(Optional.of(next), state.statBefore(key, T0.plus(Duration.ofDays(3))));
        assertEquals(Optional.empty(), state.statBefore(new InstanceKey(2, "example.com"), T0.plus(Duration.ofDays(3))));
    }

    @Test
    void originErrorsAreKeptAndAStatWrittenBeforeThemReadsAsNone() {
        StatRecord reported = stat(1, "example.com", 9, T0);
        state.recordStat(reported);
        assertEquals(3, state.stats().get(0).counters().originError());
        assertEquals(List.of(reported), state.stats());

        // A document written by a controller from before origin_error existed.
        database.execute(db -> db.getCollection(Schema.STATS).updateOne(Filters.eq("node-id", 1),
                com.mongodb.client.model.Updates.unset("origin_error")));
        assertEquals(0, state.stats().get(0).counters().originError());
        assertEquals(9, state.stats().get(0).counters().cacheHit());
    }

    /** The {@code count} of each history bucket of an instance, by hour; read straight from the collection. */
    private List<Integer> bucketCounts(int nodeId, String expr) {
        return database.execute(db -> db.getCollection(Schema.STATS_HISTORY)
                .find(Filters.and(Filters.eq("node-id", nodeId), Filters.eq("expr", expr)))
                .sort(Sorts.ascending("hour"))
                .map(bucket -> bucket.getInteger("count"))
                .into(new ArrayList<>()));
    }

    @Test
    void expiryRemovesWhatIsOlderThanTheCutoffAndKeepsTheRest() {
        // Points every 20 minutes from 10:00 to 12:40: buckets 10h, 11h, 12h with 3 points each.
        List<StatRecord> points = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            StatRecord point = stat(1, "example.com", i, T0.plus(Duration.ofMinutes(20L * i)));
            points.add(point);
            state.recordStat(point);
        }
        StatRecord fresh = stat(2, "b.example", 7, T0.plus(Duration.ofMinutes(160)));
        state.recordStat(fresh);

        Instant cutoff = T0.plus(Duration.ofMinutes(90)); // 11:30
        // Latest stat of node 1 (12:40) is newer than the cutoff too; nothing in `stats` goes.
        // History: the 10h bucket (3 points) whole, and 11:00 and 11:20 from the 11h bucket.
        assertEquals(5, state.expireStatsBefore(cutoff));
        assertEquals(points.subList(5, 9),
                state.statsHistory(1, "example.com", T0, T0.plus(Duration.ofHours(3))));
        assertEquals(List.of(1, 3), bucketCounts(1, "example.com"));
        assertEquals(2, state.stats().size());

        Instant later = T0.plus(Duration.ofMinutes(165)); // 12:45, after every report
        // Both latest stats, the one point left at 11h, the three of node 1 and the one of node 2 at 12h.
        assertEquals(2 + 1 + 3 + 1, state.expireStatsBefore(later));
        assertEquals(List.of(), state.stats());
        assertEquals(List.of(), state.statsHistory(1, "example.com", T0, later));
        assertEquals(List.of(), bucketCounts(1, "example.com"));
        assertEquals(List.of(), bucketCounts(2, "b.example"));
        assertEquals(0, state.expireStatsBefore(later));
    }

    @Test
    void recordsAlertsWithTheDocumentedFields() {
        state.recordAlert(1, "load", 612.5, T0);
        state.recordAlert(2, "disk", 9.5e9, T0.plusSeconds(1));

        List<Document> alerts = database.execute(db -> db.getCollection(Schema.ALERTS).find()
                .sort(Sorts.ascending("time")).projection(Projections.excludeId()).into(new ArrayList<>()));
        assertEquals(List.of(
                new Document("node-id", 1).append("type", "load").append("value", 612.5).append("time", Date.from(T0)),
                new Document("node-id", 2).append("type", "disk").append("value", 9.5e9)
                        .append("time", Date.from(T0.plusSeconds(1)))), alerts);
    }

    @Test
    void alertsExpireWithTheStatistics() {
        state.recordAlert(1, "load", 612.5, T0);
        state.recordAlert(1, "load", 700, T0.plusSeconds(120));

        assertEquals(1, state.expireStatsBefore(T0.plusSeconds(60)));

        List<Document> alerts = database.execute(db -> db.getCollection(Schema.ALERTS).find().into(new ArrayList<>()));
        assertEquals(1, alerts.size());
        assertEquals(Date.from(T0.plusSeconds(120)), alerts.get(0).get("time"));
    }

    @Test
    void createsTheDocumentedIndexes() {
        List<Document> nodeIndexes = database.execute(db -> db.getCollection(Schema.NODES).listIndexes()
                .into(new ArrayList<>()));
        assertTrue(nodeIndexes.stream().anyMatch(i -> i.get("key", Document.class).containsKey("uuid")
                && Boolean.TRUE.equals(i.get("unique"))), nodeIndexes.toString());
        List<Document> statIndexes = database.execute(db -> db.getCollection(Schema.STATS).listIndexes()
                .into(new ArrayList<>()));
        assertTrue(statIndexes.stream().anyMatch(i -> i.get("key", Document.class).containsKey("seen")
                && ((Number) i.get("expireAfterSeconds")).longValue() == Duration.ofHours(24).toSeconds()),
                statIndexes.toString());
    }

    @Test
    void alertsReadBackFilteredNewestFirstCutAndOldestFirst() {
        state.recordAlert(new AlertRecord(1, "a.example", "load", 600, T0));
        state.recordAlert(new AlertRecord(1, null, "disk", 9.5e9, T0.plusSeconds(1)));
        state.recordAlert(new AlertRecord(2, "a.example", "load", 700, T0.plusSeconds(2)));
        state.recordAlert(new AlertRecord(2, "b.example", "load", 800, T0.plusSeconds(3)));

        assertEquals(4, state.alerts(null, null, null, 10).size());
        assertEquals(List.of(new AlertRecord(2, "a.example", "load", 700, T0.plusSeconds(2)),
                new AlertRecord(2, "b.example", "load", 800, T0.plusSeconds(3))),
                state.alerts(null, null, null, 2), "the newest two, oldest first");
        assertEquals(List.of(new AlertRecord(1, null, "disk", 9.5e9, T0.plusSeconds(1))),
                state.alerts(T0.plusSeconds(1), List.of(1), null, 10), "since is inclusive; node-wide alerts too");
        assertEquals(List.of(new AlertRecord(1, "a.example", "load", 600, T0),
                new AlertRecord(2, "a.example", "load", 700, T0.plusSeconds(2))),
                state.alerts(null, null, List.of("a.example"), 10), "an expression selects no node-wide alert");
        assertEquals(List.of(), state.alerts(T0.plusSeconds(4), null, null, 10));
    }

    @Test
    void aStoppedInstanceKeepsItsFirstStopTime() {
        state.putInstance(new InstanceRecord(1, "a.example", InstanceStatus.START, 49003, Duration.ZERO, T0));
        assertEquals(null, state.instances().get(0).stoppedAt(), "only a stopped instance has a stop time");

        state.putInstance(new InstanceRecord(1, "a.example", InstanceStatus.STOP, 0, Duration.ZERO, T0.plusSeconds(5)));
        state.putInstance(new InstanceRecord(1, "a.example", InstanceStatus.STOP, 0, Duration.ZERO, T0.plusSeconds(60)));
        assertEquals(T0.plusSeconds(5), state.instances().get(0).stoppedAt(), "announced again, it stays as old");

        state.putInstance(new InstanceRecord(1, "a.example", InstanceStatus.START, 49003, Duration.ZERO));
        state.putInstance(new InstanceRecord(1, "a.example", InstanceStatus.STOP, 0, Duration.ZERO, T0.plusSeconds(90)));
        assertEquals(T0.plusSeconds(90), state.instances().get(0).stoppedAt(), "stopped anew after a start");
    }
}
