package org.opencache.controller.state;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes statistics older than {@code stat_retention}, periodically. The indexes carry a TTL too,
 * but the embedded server does not enforce TTLs, so this is what actually keeps {@code stats} and
 * {@code stats_history} bounded there.
 *
 * <p>Runs on one daemon thread every {@code retention / 10}, at most a minute and at least a
 * second apart. A failing run (database down) is logged once per outage, not once per run, and
 * never stops the schedule.
 */
public final class StatsExpiry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatsExpiry.class);
    private static final Duration MIN_PERIOD = Duration.ofSeconds(1);
    private static final Duration MAX_PERIOD = Duration.ofMinutes(1);

    private final ControllerState state;
    private final Duration retention;
    private final Clock clock;
    private final Duration period;
    private final ScheduledExecutorService scheduler;
    // Touched only by the scheduler thread (or a test calling runOnce while none is scheduled).
    private boolean failing;

    private StatsExpiry(ControllerState state, Duration retention, Clock clock) {
        this.state = state;
        this.retention = retention;
        this.clock = clock;
        this.period = period(retention);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("opencache-stats-expiry").factory());
    }

    /** Starts expiring what {@code state} holds beyond {@code retention}, as {@code clock} tells time. */
    public static StatsExpiry start(ControllerState state, Duration retention, Clock clock) {
        StatsExpiry expiry = new StatsExpiry(state, retention, clock);
        long millis = expiry.period.toMillis();
        expiry.scheduler.scheduleWithFixedDelay(expiry::runOnce, millis, millis, TimeUnit.MILLISECONDS);
        return expiry;
    }

    /** A stopped instance whose {@link #runOnce} tests call by hand. */
    static StatsExpiry manual(ControllerState state, Duration retention, Clock clock) {
        StatsExpiry expiry = new StatsExpiry(state, retention, clock);
        expiry.scheduler.shutdown();
        return expiry;
    }

    /** How often expiry runs for a retention: a tenth of it, clamped to [1 s, 1 min]. */
    static Duration period(Duration retention) {
        Duration tenth = retention.dividedBy(10);
        if (tenth.compareTo(MIN_PERIOD) < 0) {
            return MIN_PERIOD;
        }
        return tenth.compareTo(MAX_PERIOD) > 0 ? MAX_PERIOD : tenth;
    }

    /** The time between two runs. */
    public Duration period() {
        return period;
    }

    /** One expiry pass; catches everything, since an escaping exception would end the schedule. */
    void runOnce() {
        try {
            long removed = state.expireStatsBefore(clock.instant().minus(retention));
            if (failing) {
                failing = false;
                log.info("statistics expiry works again");
            }
            if (removed > 0) {
                log.debug("expired {} statistics older than {}", removed, retention);
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("cannot expire statistics ({}); retrying every {} s", Database.oneLine(e),
                        period.toSeconds());
            } else {
                log.debug("statistics expiry still failing: {}", Database.oneLine(e));
            }
        }
    }

    /** Stops the schedule, waiting briefly for a run in progress. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
