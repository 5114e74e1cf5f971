package org.opencache.controller.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.testing.Await;
import org.opencache.testing.Ports;
import org.opencache.testing.TestConfigs;

/** Without a database the controller answers "unavailable" quickly, and recovers when one appears. */
class DatabaseUnavailableIT {
    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    /** Server selection gives up after 2 s; allow scheduling slack, but never a hang. */
    private static final Duration PROMPT = Duration.ofSeconds(4);

    @Test
    void unreachableDatabaseFailsFastThenRecoversWhenAServerAppears(@TempDir Path tmp) throws Exception {
        int port = Ports.free();
        ControllerConfig config = TestConfigs.controller(tmp).database("mongodb://127.0.0.1:" + port).build();
        try (Database database = Database.open(config)) {
            MongoControllerState state = new MongoControllerState(database);
            assertFalse(database.isReady());
            assertUnavailable(state::nodes);
            assertUnavailable(() -> state.registerNode("uuid-a", "10.0.0.1", 49002, NOW));
            assertUnavailable(() -> state.recordStat(TestSupport.stat(1, "example.com", 1, NOW)));
            assertUnavailable(() -> state.expireStatsBefore(NOW));

            try (EmbeddedMongo server = EmbeddedMongo.start(tmp.resolve("db"), port)) {
                assertEquals(port, server.port());
                assertTrue(database.awaitReady(TestSupport.READY_TIMEOUT), "ready once a server listens");
                assertEquals(1, state.registerNode("uuid-a", "10.0.0.1", 49002, NOW).nodeId());
            }

            // The server went away after the connection was made: still prompt, still "unavailable".
            assertTrue(database.isReady());
            assertUnavailable(state::nodes);
            assertUnavailable(() -> state.putInstance(
                    new InstanceRecord(1, "example.com", InstanceStatus.START, 49003, Duration.ZERO)));

            try (EmbeddedMongo server = EmbeddedMongo.start(tmp.resolve("db"), port)) {
                assertEquals(port, server.port());
                // Same data directory: the driver reconnects on its own and finds the node again.
                assertEquals(List.of("uuid-a"),
                        eventually(() -> state.nodes().stream().map(NodeRecord::uuid).toList()));
            }
        }
    }

    private static void assertUnavailable(Executable call) {
        DatabaseUnavailableException e = assertTimeoutPreemptively(PROMPT,
                () -> assertThrows(DatabaseUnavailableException.class, call));
        assertEquals("database unavailable", e.getMessage());
    }

    /** Retries a read while the driver notices the server is back; fails after the ready timeout. */
    private static <T> T eventually(Supplier<T> read) {
        AtomicReference<DatabaseUnavailableException> last = new AtomicReference<>();
        return Await.value("a read once the server is back", TestSupport.READY_TIMEOUT, () -> {
            try {
                return Optional.of(read.get());
            } catch (DatabaseUnavailableException notYet) {
                last.set(notYet);
                return Optional.empty();
            }
        }, () -> "last: " + last.get());
    }
}
