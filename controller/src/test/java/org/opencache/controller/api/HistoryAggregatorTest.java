package org.opencache.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opencache.common.protocol.InstanceStats;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.controller.state.StatRecord;

class HistoryAggregatorTest {
    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
    /** Three one-minute intervals from 12:00. */
    private static final HistoryWindow WINDOW = new HistoryWindow(T0, T0.plusSeconds(180), Duration.ofMinutes(1));

    /** A report at {@code seconds} after 12:00 with these cumulative counters. */
    private static StatRecord at(int seconds, long hits, long hitBytes, long misses, long missBytes, long errors) {
        return new StatRecord(1, new InstanceStats("example.com", InstanceStatus.START, 49003, 0, hits, hitBytes,
                misses, missBytes, errors, 0, 0), T0.plusSeconds(seconds));
    }

    private static HistoryResult.Point point(HistoryResult.Series series, int index) {
        return series.points().get(index);
    }

    @Test
    void eachReportCountsItsIncreaseInItsInterval() {
        HistoryResult.Series series = new HistoryAggregator.Series(WINDOW).add(
                Optional.of(at(-30, 10, 1000, 5, 500, 1)),
                List.of(at(10, 13, 1300, 6, 600, 1), at(40, 19, 1900, 6, 600, 2), at(150, 20, 2000, 10, 1000, 2)))
                .view(1, "example.com");

        assertEquals(new HistoryResult.Point("2026-11-23T12:00:00Z", 2, 9, 900, 1, 100, 1, 0.9, 0.9),
                point(series, 0));
        assertEquals(new HistoryResult.Point("2026-11-23T12:01:00Z", 0, 0, 0, 0, 0, 0, null, null),
                point(series, 1), "no report: no ratio either");
        assertEquals(new HistoryResult.Point("2026-11-23T12:02:00Z", 1, 1, 100, 4, 400, 0, 0.2, 0.2),
                point(series, 2));
        assertEquals(1, series.nodeId());
        assertEquals(3, series.points().size());
    }

    @Test
    void aDecreaseIsARestartAndTheReportCountsWhole() {
        HistoryResult.Series series = new HistoryAggregator.Series(WINDOW).add(
                Optional.of(at(-30, 100, 10000, 50, 5000, 0)),
                // The node restarted between the two reports: only the misses went down, and that is enough.
                List.of(at(10, 120, 12000, 60, 6000, 0), at(70, 130, 13000, 2, 200, 0)))
                .view(null, null);

        assertEquals(20, point(series, 0).cacheHit());
        assertEquals(130, point(series, 1).cacheHit(), "everything since the restart");
        assertEquals(2, point(series, 1).cacheMiss());
        assertEquals(13000, point(series, 1).cacheHitSize());
    }

    @Test
    void withoutAReportBeforeIt_theFirstOnlyServesAsTheBase() {
        HistoryResult.Series series = new HistoryAggregator.Series(WINDOW)
                .add(Optional.empty(), List.of(at(10, 1000, 100000, 0, 0, 0), at(70, 1005, 100500, 0, 0, 0)))
                .view(null, null);

        assertEquals(1, point(series, 0).reports());
        assertEquals(0, point(series, 0).cacheHit(), "its totals may reach back to long before the window");
        assertEquals(5, point(series, 1).cacheHit());
    }

    @Test
    void instancesAddUpInOneSeries() {
        HistoryAggregator.Series sum = new HistoryAggregator.Series(WINDOW);
        sum.add(Optional.of(at(-5, 0, 0, 0, 0, 0)), List.of(at(5, 3, 300, 1, 100, 0)));
        sum.add(Optional.of(at(-5, 7, 700, 0, 0, 0)), List.of(at(30, 8, 800, 0, 0, 4)));

        HistoryResult.Point first = point(sum.view(null, null), 0);
        assertEquals(new HistoryResult.Point("2026-11-23T12:00:00Z", 2, 4, 400, 1, 100, 4, 0.8, 0.8), first);
    }

    @Test
    void sumsSaturateInsteadOfWrapping() {
        long big = 1L << 53;
        HistoryAggregator.Series sum = new HistoryAggregator.Series(WINDOW);
        for (int i = 0; i < 1100; i++) {
            sum.add(Optional.of(at(-5, 0, 0, 0, 0, 0)), List.of(at(5, big, big, 0, 0, 0)));
        }
        assertEquals(Long.MAX_VALUE, point(sum.view(null, null), 0).cacheHit());
    }
}
