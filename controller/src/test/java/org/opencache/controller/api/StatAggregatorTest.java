package org.opencache.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opencache.common.protocol.InstanceStats;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.controller.state.InstanceRecord;
import org.opencache.controller.state.StatRecord;

class StatAggregatorTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private static InstanceRecord instance(int node, String expr, InstanceStatus status, int port) {
        return new InstanceRecord(node, expr, status, port, Duration.ZERO);
    }

    private static StatRecord stat(int node, String expr, long hit, long hitSize, long miss, long missSize) {
        return new StatRecord(node,
                new InstanceStats(expr, InstanceStatus.START, 49003, 2.5, hit, hitSize, miss, missSize, 1, 100), NOW);
    }

    @Test
    void emptyStateGivesEveryFieldZeroOrEmpty() {
        StatResult result = StatAggregator.aggregate(List.of(), List.of(), id -> true, expr -> true);
        assertEquals(new StatResult(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(), List.of(), 0.0, 0.0, 0),
                result);
    }

    @Test
    void sumsCountersAndCountsStatusesOfSelectedPairs() {
        List<InstanceRecord> instances = List.of(
                instance(1, "a.com", InstanceStatus.START, 49003),
                instance(1, "b.com", InstanceStatus.PAUSE, 49004),
                instance(2, "a.com", InstanceStatus.START, 49003),
                instance(3, "c.com", InstanceStatus.STOP, 0));
        List<StatRecord> stats = List.of(
                stat(1, "a.com", 9, 900, 1, 100),
                stat(2, "a.com", 1, 100, 1, 100),
                stat(3, "c.com", 100, 100, 100, 100));

        StatResult result = StatAggregator.aggregate(instances, stats, id -> id != 3, expr -> true);

        assertEquals(2, result.start());
        assertEquals(1, result.pause());
        assertEquals(0, result.stop());
        assertEquals(10, result.cacheHit());
        assertEquals(1000, result.cacheHitSize());
        assertEquals(2, result.cacheMiss());
        assertEquals(200, result.cacheMissSize());
        assertEquals(2, result.cacheObject());
        assertEquals(200, result.cacheObjectSize());
        assertEquals(List.of(1, 2), result.nodeSeen());
        assertEquals(List.of("a.com", "b.com"), result.exprSeen());
        assertEquals(2, result.totalNodeCount());
        assertEquals(2, result.totalExprCount());
        assertEquals(2, result.totalResponseCount(), "b.com has not reported yet");
        assertEquals(10.0 / 12, result.hitRatio(), 1e-9);
        assertEquals(1000.0 / 1200, result.byteHitRatio(), 1e-9);
        assertEquals(new StatResult.Pair(1, "b.com", "pause", 0.0, 49004), result.nodeExprPairsSeen().get(1));
        assertEquals(new StatResult.Pair(1, "a.com", "start", 2.5, 49003), result.nodeExprPairsSeen().get(0));
    }

    @Test
    void originErrorsAreSummedApartAndLeaveTheRatiosAlone() {
        List<InstanceRecord> instances = List.of(
                instance(1, "a.com", InstanceStatus.START, 49003),
                instance(2, "a.com", InstanceStatus.START, 49003));
        List<StatRecord> stats = List.of(
                new StatRecord(1, new InstanceStats("a.com", InstanceStatus.START, 49003, 0, 3, 300, 1, 100, 40, 1, 100),
                        NOW),
                new StatRecord(2, new InstanceStats("a.com", InstanceStatus.START, 49003, 0, 0, 0, 0, 0, 2, 0, 0), NOW));

        StatResult result = StatAggregator.aggregate(instances, stats, id -> true, expr -> true);

        assertEquals(42, result.originError());
        assertEquals(1, result.cacheMiss());
        assertEquals(0.75, result.hitRatio(), 1e-9, "an outage does not count against the hit ratio");
    }

    @Test
    void filtersByExpression() {
        List<InstanceRecord> instances = List.of(
                instance(1, "a.com", InstanceStatus.START, 49003),
                instance(1, "b.com", InstanceStatus.START, 49004));
        List<StatRecord> stats = List.of(stat(1, "a.com", 1, 10, 0, 0), stat(1, "b.com", 5, 50, 5, 50));

        StatResult result = StatAggregator.aggregate(instances, stats, id -> true, "b.com"::equals);

        assertEquals(5, result.cacheHit());
        assertEquals(List.of("b.com"), result.exprSeen());
        assertEquals(0.5, result.hitRatio(), 1e-9);
    }

    @Test
    void statsOfForgottenInstancesAreIgnored() {
        StatResult result = StatAggregator.aggregate(List.of(), List.of(stat(1, "a.com", 1, 1, 1, 1)),
                id -> true, expr -> true);
        assertEquals(0, result.cacheHit());
        assertEquals(0, result.totalResponseCount());
    }

    @Test
    void sumsSaturateInsteadOfWrappingRound() {
        long huge = Long.MAX_VALUE / 2 + 1;
        List<InstanceRecord> instances = List.of(
                instance(1, "a.com", InstanceStatus.START, 49003),
                instance(2, "a.com", InstanceStatus.START, 49003));
        List<StatRecord> stats = List.of(stat(1, "a.com", huge, huge, huge, 0), stat(2, "a.com", huge, huge, huge, 0));

        StatResult result = StatAggregator.aggregate(instances, stats, id -> true, expr -> true);

        assertEquals(Long.MAX_VALUE, result.cacheHit());
        assertEquals(Long.MAX_VALUE, result.cacheHitSize());
        assertEquals(Long.MAX_VALUE, result.cacheMiss());
        assertEquals(0, result.cacheMissSize());
        assertEquals(0.5, result.hitRatio(), 1e-9, "the ratio is taken in doubles, not of a wrapped sum");
        assertEquals(1.0, result.byteHitRatio(), 1e-9);
    }

    @Test
    void negativeCountersFromAnOlderDatabaseCountAsZero() {
        List<InstanceRecord> instances = List.of(
                instance(1, "a.com", InstanceStatus.START, 49003),
                instance(2, "a.com", InstanceStatus.START, 49003));
        List<StatRecord> stats = List.of(stat(1, "a.com", -100, -1, 3, 30), stat(2, "a.com", 7, 70, 1, 10));

        StatResult result = StatAggregator.aggregate(instances, stats, id -> true, expr -> true);

        assertEquals(7, result.cacheHit());
        assertEquals(70, result.cacheHitSize());
        assertEquals(4, result.cacheMiss());
    }

    @Test
    void plusSaturatesAtTheTopAndIgnoresNegatives() {
        assertEquals(5, StatAggregator.plus(2, 3));
        assertEquals(Long.MAX_VALUE, StatAggregator.plus(Long.MAX_VALUE - 1, 2));
        assertEquals(Long.MAX_VALUE, StatAggregator.plus(Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE - 1, StatAggregator.plus(Long.MAX_VALUE - 1, 0));
        assertEquals(2, StatAggregator.plus(2, Long.MIN_VALUE));
    }

    @Test
    void instancesOfANodeThatIsDownAreShownDownAndNotCountedAsStarted() {
        List<InstanceRecord> instances = List.of(
                instance(1, "a.com", InstanceStatus.START, 49003),
                instance(2, "a.com", InstanceStatus.START, 49003),
                instance(2, "b.com", InstanceStatus.PAUSE, 49004));
        List<StatRecord> stats = List.of(stat(1, "a.com", 1, 10, 1, 10), stat(2, "a.com", 2, 20, 2, 20));

        StatResult result = StatAggregator.aggregate(instances, stats, java.util.Set.of(2), id -> true, expr -> true);

        assertEquals(1, result.start(), "node 2 is down: its instance serves nothing");
        assertEquals(0, result.pause());
        assertEquals(0, result.stop());
        assertEquals(new StatResult.Pair(2, "a.com", "down", 0.0, 49003), result.nodeExprPairsSeen().get(1));
        assertEquals(new StatResult.Pair(2, "b.com", "down", 0.0, 49004), result.nodeExprPairsSeen().get(2));
        assertEquals(new StatResult.Pair(1, "a.com", "start", 2.5, 49003), result.nodeExprPairsSeen().get(0));
        assertEquals(3, result.cacheHit(), "what a down node served before still counts");
        assertEquals(List.of(1, 2), result.nodeSeen());
    }
}
