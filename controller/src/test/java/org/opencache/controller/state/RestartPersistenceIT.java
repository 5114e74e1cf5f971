package org.opencache.controller.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.testing.TestConfigs;

/** What the embedded database holds survives an orderly restart of the controller. */
class RestartPersistenceIT {

    @Test
    void embeddedDatabaseKeepsEverythingAcrossRestart(@TempDir Path dataPath) throws InterruptedException {
        ControllerConfig config = TestConfigs.controller(dataPath).build();
        Instant now = Instant.parse("2024-05-01T10:15:30Z");
        InstanceRecord instance = new InstanceRecord(1, "example.com", InstanceStatus.START, 49003,
                Duration.ofSeconds(30));
        StatRecord stat = TestSupport.stat(1, "example.com", 42, now);

        NodeRecord node;
        try (Database database = TestSupport.openReady(config)) {
            MongoControllerState state = new MongoControllerState(database);
            node = state.registerNode("uuid-a", "10.0.0.1", 49002, now);
            state.putInstance(instance);
            state.recordStat(stat);
        }

        try (Database database = TestSupport.openReady(config)) {
            MongoControllerState state = new MongoControllerState(database);
            assertEquals(List.of(node), state.nodes());
            assertEquals(List.of(instance), state.instances());
            assertEquals(List.of(stat), state.stats());
            assertEquals(List.of(stat), state.statsHistory(1, "example.com", now, now));
            // The id counter survived too: a new node does not reuse id 1.
            assertEquals(2, state.registerNode("uuid-b", "10.0.0.2", 49002, now).nodeId());
        }
    }

    @Test
    void changedRetentionReplacesTheTtlIndexes(@TempDir Path dataPath) throws InterruptedException {
        try (Database database = TestSupport.openReady(TestConfigs.controller(dataPath).build())) {
            assertEquals(List.of(Duration.ofHours(24).toSeconds()), ttlSeconds(database, Schema.STATS));
            assertEquals(List.of(Duration.ofHours(25).toSeconds()), ttlSeconds(database, Schema.STATS_HISTORY));
        }
        ControllerConfig shorter = TestConfigs.controller(dataPath).statRetention(Duration.ofHours(2)).build();
        try (Database database = TestSupport.openReady(shorter)) {
            assertEquals(List.of(Duration.ofHours(2).toSeconds()), ttlSeconds(database, Schema.STATS));
            assertEquals(List.of(Duration.ofHours(3).toSeconds()), ttlSeconds(database, Schema.STATS_HISTORY));
        }
    }

    private static List<Long> ttlSeconds(Database database, String collection) {
        return database.execute(db -> db.getCollection(collection).listIndexes().into(new ArrayList<>())).stream()
                .filter(index -> index.containsKey("expireAfterSeconds"))
                .map(index -> ((Number) index.get("expireAfterSeconds")).longValue())
                .toList();
    }
}
