package org.opencache.controller.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opencache.common.protocol.InstanceStats;
import org.opencache.controller.state.StatRecord;

/**
 * Turns stored reports, whose counters are cumulative, into what was served per interval of a
 * {@link HistoryWindow}. Pure: no I/O, so every rule is unit-tested directly.
 *
 * <p><b>Deltas.</b> A report counts what its instance served since the report before it: each
 * counter's increase, added to the interval the report fell in. Counters start again from 0 when
 * the node restarts (or the instance is stopped and started again), so a report in which any of
 * the five counters ({@code cache_hit}, {@code cache_hit_size}, {@code cache_miss},
 * {@code cache_miss_size}, {@code origin_error}) is lower than before is taken as the first after
 * a restart: it counts its counters whole (they are what was served since the restart).
 *
 * <p><b>The first report.</b> The report before a window's first one is looked up before the
 * window (any age still stored). A report with none before it at all counts nothing and is only
 * the base of the next: its predecessors may have expired ({@code stat_retention}), and counting
 * its totals would put everything the instance served since it started into one interval.
 *
 * <p>Sums saturate at {@link Long#MAX_VALUE}, as {@code stat}'s do.
 */
final class HistoryAggregator {

    private HistoryAggregator() {
    }

    /**
     * One series under construction: sums per interval of one window. Several instances may add to
     * one series (the sum over a selection).
     */
    static final class Series {
        // The counters in this order: hits, hit bytes, misses, miss bytes, origin errors.
        private static final int HITS = 0;
        private static final int HIT_BYTES = 1;
        private static final int MISSES = 2;
        private static final int MISS_BYTES = 3;
        private static final int ORIGIN_ERRORS = 4;
        private static final int COUNTERS = 5;

        private final HistoryWindow window;
        private final int[] reports;
        /** {@code sums[counter][interval]}. */
        private final long[][] sums;

        Series(HistoryWindow window) {
            this.window = window;
            this.reports = new int[window.intervals()];
            this.sums = new long[COUNTERS][window.intervals()];
        }

        /**
         * Adds one instance's reports: {@code points}, oldest first, and {@code before}, the report
         * just before them, if one is stored. Points outside the window only serve as bases.
         */
        Series add(Optional<StatRecord> before, List<StatRecord> points) {
            long[] previous = before.map(StatRecord::counters).map(Series::counters).orElse(null);
            for (StatRecord point : points) {
                long[] current = counters(point.counters());
                int index = window.indexOf(point.seen());
                if (index >= 0) {
                    reports[index]++;
                    if (previous != null) {
                        boolean restarted = false;
                        for (int c = 0; c < COUNTERS; c++) {
                            restarted |= current[c] < previous[c];
                        }
                        for (int c = 0; c < COUNTERS; c++) {
                            // Counters are at most 2^53 (§5): the difference never overflows.
                            sums[c][index] = StatAggregator.plus(sums[c][index],
                                    restarted ? current[c] : current[c] - previous[c]);
                        }
                    }
                }
                previous = current;
            }
            return this;
        }

        private static long[] counters(InstanceStats s) {
            return new long[] {s.cacheHit(), s.cacheHitSize(), s.cacheMiss(), s.cacheMissSize(), s.originError()};
        }

        /** The series as the result shows it; {@code nodeId} and {@code expr} null for a sum. */
        HistoryResult.Series view(Integer nodeId, String expr) {
            List<HistoryResult.Point> points = new ArrayList<>(reports.length);
            for (int i = 0; i < reports.length; i++) {
                points.add(new HistoryResult.Point(window.start(i).toString(), reports[i],
                        sums[HITS][i], sums[HIT_BYTES][i], sums[MISSES][i], sums[MISS_BYTES][i],
                        sums[ORIGIN_ERRORS][i], ratio(sums[HITS][i], sums[MISSES][i]),
                        ratio(sums[HIT_BYTES][i], sums[MISS_BYTES][i])));
            }
            return new HistoryResult.Series(nodeId, expr, List.copyOf(points));
        }
    }

    /** {@code part / (part + rest)}, or null when both are 0: an idle interval has no ratio (a graph shows a gap). */
    private static Double ratio(long part, long rest) {
        double total = (double) part + rest;
        return total == 0 ? null : part / total;
    }
}
