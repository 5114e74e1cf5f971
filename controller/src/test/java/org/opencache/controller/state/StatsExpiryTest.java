package org.opencache.controller.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opencache.controller.state.TestSupport.stat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ControllerConfig;
import org.opencache.testing.Await;
import org.opencache.testing.MutableClock;
import org.opencache.testing.Ports;
import org.opencache.testing.TestConfigs;
import org.slf4j.LoggerFactory;

class StatsExpiryTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final Duration RETENTION = Duration.ofHours(1);
    /** Upper bound for anything that needs the scheduler (period 1 s) to tick. */
    private static final Duration TICK_BOUND = Duration.ofSeconds(10);

    @TempDir
    Path tmp;
    private final Logger logger = (Logger) LoggerFactory.getLogger(StatsExpiry.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Level configuredLevel;

    @BeforeEach
    void captureLogs() {
        configuredLevel = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
        logger.setLevel(configuredLevel);
    }

    @Test
    void periodIsATenthOfRetentionBetweenOneSecondAndOneMinute() {
        assertEquals(Duration.ofMinutes(1), StatsExpiry.period(Duration.ofHours(24)));
        assertEquals(Duration.ofSeconds(3), StatsExpiry.period(Duration.ofSeconds(30)));
        assertEquals(Duration.ofSeconds(1), StatsExpiry.period(Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(1), StatsExpiry.period(Duration.ZERO));
    }

    @Test
    void removesStatsOnceTheyAreOlderThanRetention() throws InterruptedException {
        try (Database database = TestSupport.openReady(TestConfigs.controller(tmp).statRetention(RETENTION).build())) {
            MongoControllerState state = new MongoControllerState(database);
            state.recordStat(stat(1, "example.com", 1, T0));
            MutableClock clock = new MutableClock(T0.plus(RETENTION));
            StatsExpiry expiry = StatsExpiry.manual(state, RETENTION, clock);

            expiry.runOnce(); // exactly `retention` old: kept
            assertEquals(1, state.stats().size());

            clock.advance(Duration.ofMillis(1));
            expiry.runOnce();
            assertEquals(List.of(), state.stats());
            assertEquals(List.of(), state.statsHistory(1, "example.com", T0, clock.instant()));
        }
    }

    @Test
    void scheduleRunsOnItsOwn() throws InterruptedException {
        try (Database database = TestSupport.openReady(TestConfigs.controller(tmp).statRetention(RETENTION).build())) {
            MongoControllerState state = new MongoControllerState(database);
            state.recordStat(stat(1, "example.com", 1, T0));
            MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(1)));
            // A 5 s retention ticks every second; the clock says the stat is a day old.
            try (StatsExpiry expiry = StatsExpiry.start(state, Duration.ofSeconds(5), clock)) {
                assertEquals(Duration.ofSeconds(1), expiry.period());
                Await.until("the day-old stat removed", TICK_BOUND, () -> state.stats().isEmpty());
            }
        }
    }

    @Test
    void warnsOncePerOutageAndKeepsRunningUntilTheDatabaseIsBack() throws Exception {
        int port = Ports.free();
        ControllerConfig config = TestConfigs.controller(tmp).database("mongodb://127.0.0.1:" + port).build();
        try (Database database = Database.open(config)) {
            MongoControllerState state = new MongoControllerState(database);
            MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(1)));
            try (StatsExpiry expiry = StatsExpiry.start(state, Duration.ofSeconds(5), clock)) {
                assertEquals(Duration.ofSeconds(1), expiry.period());
                Await.until("a second failed run", TICK_BOUND, () -> events(Level.DEBUG).size() >= 1); // logged at debug
                assertEquals(1, events(Level.WARN).size(), events(Level.WARN).toString());

                try (EmbeddedMongo server = EmbeddedMongo.start(tmp.resolve("db"), port)) {
                    assertEquals(port, server.port());
                    assertTrue(database.awaitReady(TestSupport.READY_TIMEOUT));
                    state.recordStat(stat(1, "example.com", 1, T0));
                    Await.until("the day-old stat removed", TICK_BOUND, () -> state.stats().isEmpty());
                    // The run logs after it removed, so the line may trail the removal a little.
                    Await.until("the recovery logged", TICK_BOUND, () -> events(Level.INFO).size() == 1);
                    assertEquals(1, events(Level.WARN).size());
                }
            }
        }
    }

    private List<String> events(Level level) {
        synchronized (logs) { // ListAppender appends under this lock, on the scheduler thread
            List<String> messages = new ArrayList<>();
            for (ILoggingEvent event : logs.list) {
                if (event.getLevel() == level) {
                    messages.add(event.getFormattedMessage());
                }
            }
            return messages;
        }
    }
}
