package org.opencache.controller.state;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.config.SettingException;
import org.opencache.common.protocol.InstanceStats;
import org.opencache.common.protocol.InstanceStatus;

/** Readiness and values shared by the state tests. */
final class TestSupport {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private TestSupport() {
    }

    /** Opens a database and waits until it is ready; an unusable data_path fails the test. */
    static Database openReady(ControllerConfig config) throws InterruptedException {
        Database database;
        try {
            database = Database.open(config);
        } catch (SettingException e) {
            throw new AssertionError("test database: " + e.getMessage(), e);
        }
        assertTrue(database.awaitReady(READY_TIMEOUT), "database ready within " + READY_TIMEOUT);
        return database;
    }

    /** A stat with distinguishable counters. */
    static StatRecord stat(int nodeId, String expr, long hits, Instant seen) {
        return new StatRecord(nodeId, new InstanceStats(expr, InstanceStatus.START, 49003, hits / 10.0, hits,
                hits * 1024, hits / 2, hits * 512, hits / 3, 3, 3 * 4096), seen);
    }
}
