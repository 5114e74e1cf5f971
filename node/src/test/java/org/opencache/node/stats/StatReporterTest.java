package org.opencache.node.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStats;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.node.store.TieredObjectStore;
import org.opencache.testing.MutableClock;

class StatReporterTest {
    @TempDir
    Path cache;
    TieredObjectStore store;
    final InstanceCounters counters = new InstanceCounters();
    final List<InstanceView> views = List.of(new InstanceView(
            new InstanceState("a.example", InstanceStatus.START, 49003, 0), counters));
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    final List<List<InstanceStats>> reports = new CopyOnWriteArrayList<>();
    final List<String> alerts = new CopyOnWriteArrayList<>();
    StatReporter reporter;

    @BeforeEach
    void start() throws Exception {
        store = TieredObjectStore.open(cache, 1 << 20, 0, 1 << 20, 256, clock);
        StatSink sink = new StatSink() {
            @Override
            public void stats(List<InstanceStats> stats) {
                reports.add(stats);
            }

            @Override
            public void alert(String type, double value, String expr) {
                alerts.add(type + "=" + Math.round(value) + (expr == null ? "" : " " + expr));
            }
        };
        // A period far beyond the test: only the calls the test makes report.
        reporter = new StatReporter(() -> views, store, sink, Duration.ofHours(1), 5, 1 << 20, clock);
    }

    @AfterEach
    void stop() {
        reporter.close();
        store.close();
    }

    @Test
    void avgLoadIsRequestsPerSecondOverThePeriodicWindow() {
        reporter.periodic();
        for (int i = 0; i < 30; i++) {
            counters.hit(100);
        }
        counters.miss(50);
        clock.advance(Duration.ofSeconds(10));

        reporter.periodic();

        InstanceStats stats = reports.get(1).get(0);
        assertEquals(3.1, stats.avgLoad(), 1e-9);
        assertEquals(30, stats.cacheHit());
        assertEquals(3000, stats.cacheHitSize());
        assertEquals(1, stats.cacheMiss());
        assertEquals(50, stats.cacheMissSize());
        assertEquals(List.of(), alerts, "3.1 requests/s is under alert_load 5");
    }

    @Test
    void refreshReportsWithoutRestartingTheWindow() {
        reporter.periodic();
        for (int i = 0; i < 20; i++) {
            counters.hit(1);
        }
        clock.advance(Duration.ofSeconds(2));
        reporter.reportNow();
        clock.advance(Duration.ofSeconds(2));
        reporter.reportNow();
        assertEquals(10.0, reports.get(1).get(0).avgLoad(), 1e-9);
        assertEquals(5.0, reports.get(2).get(0).avgLoad(), 1e-9, "same window, longer");
    }

    @Test
    void loadOverAlertLoadRaisesALoadAlert() {
        reporter.periodic();
        for (int i = 0; i < 100; i++) {
            counters.hit(1);
        }
        clock.advance(Duration.ofSeconds(10));
        reporter.periodic();
        assertEquals(List.of("load=10 a.example"), alerts, "a load alert names its instance");
    }

    @Test
    void storedBytesOverAlertDiskRaiseADiskAlert() {
        var writer = store.begin(new org.opencache.node.store.StoreKey("a.example", "big"),
                new org.opencache.node.store.ObjectMeta(200, List.of(), clock.instant(), clock.instant(),
                        clock.instant().plusSeconds(60), (1 << 20) - 8192));
        writer.write(java.nio.ByteBuffer.allocate((1 << 20) - 8192));
        assertTrue(writer.commit());
        reporter.periodic();
        assertEquals(List.of(), alerts, "just under alert_disk");
        writer = store.begin(new org.opencache.node.store.StoreKey("a.example", "more"),
                new org.opencache.node.store.ObjectMeta(200, List.of(), clock.instant(), clock.instant(),
                        clock.instant().plusSeconds(60), 8192));
        writer.write(java.nio.ByteBuffer.allocate(8192));
        assertTrue(writer.commit());
        reporter.periodic();
        assertTrue(store.diskBytes() > 1 << 20, "disk holds " + store.diskBytes());
        assertEquals(List.of("disk=" + store.diskBytes()), alerts, "a disk alert is about the whole node");
    }
}
