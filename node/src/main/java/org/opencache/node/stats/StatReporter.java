package org.opencache.node.stats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStats;
import org.opencache.node.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports every instance's counters every {@code stat_refresh}, and on demand ({@code refresh}).
 * {@code avg_load} is requests per second since the previous periodic report, so with the
 * default period it is the original's one-minute average. Sends a {@code load} alert when an
 * instance's load passes {@code alert_load}, and a {@code disk} alert when stored bytes pass
 * {@code alert_disk}; an alert repeats every period while the condition lasts.
 */
public final class StatReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatReporter.class);

    private final Supplier<List<InstanceView>> instances;
    private final ObjectStore store;
    private final StatSink sink;
    private final int alertLoad;
    private final long alertDisk;
    private final Clock clock;
    private final Map<String, Sample> baselines = new HashMap<>();
    private final ScheduledExecutorService timer;

    private record Sample(long requests, Instant at) {
    }

    /**
     * Starts periodic reports.
     *
     * @param period    {@code stat_refresh}
     * @param alertLoad requests/s per instance that raise a load alert
     * @param alertDisk stored bytes on the node that raise a disk alert
     */
    public StatReporter(Supplier<List<InstanceView>> instances, ObjectStore store, StatSink sink,
                        Duration period, int alertLoad, long alertDisk, Clock clock) {
        this.instances = instances;
        this.store = store;
        this.sink = sink;
        this.alertLoad = alertLoad;
        this.alertDisk = alertDisk;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stat-reporter");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, period.toMillis());
        timer.scheduleAtFixedRate(this::periodic, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Sends a report now without starting a new load window ({@code refresh}). */
    public void reportNow() {
        sink.stats(snapshot(false));
    }

    /** The counters of every instance; {@code newWindow} makes this the start of the next load window. */
    public synchronized List<InstanceStats> snapshot(boolean newWindow) {
        Instant now = clock.instant();
        return instances.get().stream().map(view -> stats(view, now, newWindow)).toList();
    }

    private InstanceStats stats(InstanceView view, Instant now, boolean newWindow) {
        InstanceState state = view.state();
        InstanceCounters counters = view.counters();
        long requests = counters.requests();
        Sample previous = baselines.get(state.expr());
        double load = 0;
        if (previous != null && requests >= previous.requests()) {
            double seconds = Duration.between(previous.at(), now).toMillis() / 1000.0;
            load = seconds > 0 ? (requests - previous.requests()) / seconds : 0;
        }
        if (newWindow || previous == null) {
            baselines.put(state.expr(), new Sample(requests, now));
        }
        return new InstanceStats(state.expr(), state.status(), state.port(), load,
                counters.hits(), counters.hitBytes(), counters.misses(), counters.missBytes(), counters.originErrors(),
                store.objectCount(state.expr()), store.objectBytes(state.expr()));
    }

    /** The periodic report: statistics, then alerts; never throws (the timer must go on). */
    void periodic() {
        try {
            List<InstanceStats> stats = snapshot(true);
            sink.stats(stats);
            for (InstanceStats stat : stats) {
                if (stat.avgLoad() > alertLoad) {
                    LOG.warn("instance {} load {} requests/s is over alert_load {}", stat.expr(),
                            Math.round(stat.avgLoad()), alertLoad);
                    sink.alert("load", stat.avgLoad(), stat.expr());
                }
            }
            long disk = store.diskBytes();
            if (alertDisk > 0 && disk > alertDisk) {
                LOG.warn("stored {} bytes, over alert_disk {}", disk, alertDisk);
                sink.alert("disk", disk, null); // the store is shared: the whole node
            }
        } catch (RuntimeException e) {
            LOG.warn("stat report failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
