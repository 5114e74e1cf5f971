package org.opencache.node.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active purge of expired objects ({@code cache_purge_time}): every period, removes the
 * objects whose {@code expires} has passed by the clock. Expired objects are otherwise only
 * replaced when requested again, so without it a cache of many one-time URLs would fill the
 * disk with dead objects until eviction got to them.
 *
 * <p>Runs on one daemon thread. A failing purge is logged and the next one runs as planned (a
 * scheduled task that throws would silently never run again).
 */
public final class StorePurger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorePurger.class);

    private final ToIntFunction<Instant> purge;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    private StorePurger(ToIntFunction<Instant> purge, Clock clock) {
        this.purge = purge;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "store-purger");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts purging {@code store} every {@code period}, the first time one period from now.
     *
     * @throws IllegalArgumentException if {@code period} is not positive
     */
    public static StorePurger start(ObjectStore store, Duration period, Clock clock) {
        return start(store::purgeExpiredBefore, period, clock);
    }

    /** Starts calling {@code purge} with the clock's time every {@code period} (tests). */
    static StorePurger start(ToIntFunction<Instant> purge, Duration period, Clock clock) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("purge period must be positive: " + period);
        }
        StorePurger purger = new StorePurger(purge, clock);
        long nanos = period.toNanos();
        purger.scheduler.scheduleWithFixedDelay(purger::purge, nanos, nanos, TimeUnit.NANOSECONDS);
        return purger;
    }

    /** Stops purging; a purge under way finishes first (bounded wait). */
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("The store purge did not finish within 10 s of shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void purge() {
        try {
            int removed = purge.applyAsInt(clock.instant());
            LOG.debug("Purged {} expired objects", removed);
        } catch (RuntimeException e) {
            LOG.warn("Purging expired objects failed; retrying next period", e);
        }
    }
}
