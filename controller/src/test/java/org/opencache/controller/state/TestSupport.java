package org.opencache.controller.state;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.config.LoggingConfig;
import org.opencache.common.protocol.InstanceStats;
import org.opencache.common.protocol.InstanceStatus;

/** Configurations, clocks and values shared by the state tests. */
final class TestSupport {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private TestSupport() {
    }

    /** A controller configuration using the embedded database under {@code dataPath}. */
    static ControllerConfig embedded(Path dataPath, Duration statRetention) {
        return config(Optional.empty(), dataPath, statRetention);
    }

    /** A controller configuration using the database at {@code uri}. */
    static ControllerConfig external(String uri, Path dataPath) {
        return config(Optional.of(uri), dataPath, Duration.ofHours(24));
    }

    private static ControllerConfig config(Optional<String> uri, Path dataPath, Duration statRetention) {
        return new ControllerConfig("127.0.0.1", 49001, 50001, uri, "opencache", dataPath, Duration.ofSeconds(30),
                Duration.ofSeconds(5), statRetention, new LoggingConfig(Optional.empty(), 3));
    }

    /** Opens a database and waits until it is ready. */
    static Database openReady(ControllerConfig config) throws InterruptedException {
        Database database = Database.open(config);
        assertTrue(database.awaitReady(READY_TIMEOUT), "database ready within " + READY_TIMEOUT);
        return database;
    }

    /** A loopback port nothing listens on (just released by us). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A stat with distinguishable counters. */
    static StatRecord stat(int nodeId, String expr, long hits, Instant seen) {
        return new StatRecord(nodeId, new InstanceStats(expr, InstanceStatus.START, 49003, hits / 10.0, hits,
                hits * 1024, hits / 2, hits * 512, 3, 3 * 4096), seen);
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("fixed to UTC");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
