package org.opencache.controller.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.opencache.common.protocol.InstanceStats;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.controller.state.InstanceRecord;
import org.opencache.controller.state.NodeStatus;
import org.opencache.controller.state.StatRecord;

/**
 * Builds the {@code stat} result from the stored instances and their latest counters. Pure: no
 * I/O, so every rule of the aggregation is unit-tested directly.
 *
 * <p>The instances are the authority on which (node, expression) pairs exist and in which
 * state; the counters of a pair come from its latest {@code stats} document, if it has one.
 *
 * <p>Sums saturate at {@link Long#MAX_VALUE} instead of wrapping round to a negative number: a
 * node can report up to 2<sup>53</sup> per counter, so a large enough fleet can exceed a
 * {@code long}, and a saturated sum still says "more than anyone can count" where a wrapped one
 * would say something false.
 */
final class StatAggregator {

    private StatAggregator() {
    }

    /**
     * Aggregates the pairs whose node-id passes {@code nodeFilter} and whose expression passes
     * {@code exprFilter}.
     */
    static StatResult aggregate(List<InstanceRecord> instances, List<StatRecord> stats,
                                IntPredicate nodeFilter, Predicate<String> exprFilter) {
        return aggregate(instances, stats, Set.of(), nodeFilter, exprFilter);
    }

    /**
     * Aggregates as above, with the liveness of the nodes: the pairs of a node in {@code downNodes}
     * have status {@code down} and load 0, and count under none of {@code start}, {@code stop} and
     * {@code pause}. Nothing is known to serve on a node that is down, so counting its last known
     * state would overstate the fleet; its last counters still add to the sums, which are totals
     * of what was served.
     */
    static StatResult aggregate(List<InstanceRecord> instances, List<StatRecord> stats, Set<Integer> downNodes,
                                IntPredicate nodeFilter, Predicate<String> exprFilter) {
        Map<String, StatRecord> statsByPair = new HashMap<>();
        for (StatRecord stat : stats) {
            statsByPair.put(pairKey(stat.nodeId(), stat.expr()), stat);
        }
        Map<InstanceStatus, Long> byStatus = new HashMap<>();
        long hit = 0;
        long hitSize = 0;
        long miss = 0;
        long missSize = 0;
        long originErrors = 0;
        long objects = 0;
        long objectSize = 0;
        int responses = 0;
        TreeSet<Integer> nodes = new TreeSet<>();
        TreeSet<String> exprs = new TreeSet<>();
        List<StatResult.Pair> pairs = new ArrayList<>();
        for (InstanceRecord instance : instances) {
            if (!nodeFilter.test(instance.nodeId()) || !exprFilter.test(instance.expr())) {
                continue;
            }
            boolean down = downNodes.contains(instance.nodeId());
            if (!down) {
                byStatus.merge(instance.status(), 1L, Long::sum);
            }
            nodes.add(instance.nodeId());
            exprs.add(instance.expr());
            StatRecord record = statsByPair.get(pairKey(instance.nodeId(), instance.expr()));
            double load = 0;
            if (record != null) {
                InstanceStats stat = record.counters();
                responses++;
                hit = plus(hit, stat.cacheHit());
                hitSize = plus(hitSize, stat.cacheHitSize());
                miss = plus(miss, stat.cacheMiss());
                missSize = plus(missSize, stat.cacheMissSize());
                originErrors = plus(originErrors, stat.originError());
                objects = plus(objects, stat.cacheObject());
                objectSize = plus(objectSize, stat.cacheObjectSize());
                load = down ? 0 : stat.avgLoad();
            }
            pairs.add(new StatResult.Pair(instance.nodeId(), instance.expr(),
                    down ? NodeStatus.DOWN.wireName() : instance.status().wireName(), load, instance.port()));
        }
        return new StatResult(
                byStatus.getOrDefault(InstanceStatus.START, 0L),
                byStatus.getOrDefault(InstanceStatus.STOP, 0L),
                byStatus.getOrDefault(InstanceStatus.PAUSE, 0L),
                miss, missSize, hit, hitSize, objects, objectSize,
                nodes.size(), exprs.size(), responses,
                List.copyOf(nodes), List.copyOf(exprs), List.copyOf(pairs),
                ratio(hit, miss), ratio(hitSize, missSize), originErrors);
    }

    /**
     * {@code sum + counter}, saturating at {@link Long#MAX_VALUE}. A negative counter counts as 0:
     * reports are validated on arrival, but a database written before that may still hold one.
     */
    static long plus(long sum, long counter) {
        long added = Math.max(0, counter);
        return sum > Long.MAX_VALUE - added ? Long.MAX_VALUE : sum + added;
    }

    /** {@code part / (part + rest)}, or 0 when both are 0 (nothing served yet); in doubles, so it never overflows. */
    private static double ratio(long part, long rest) {
        double total = (double) part + rest;
        return total == 0 ? 0.0 : part / total;
    }

    private static String pairKey(int nodeId, String expr) {
        return nodeId + "\u0000" + expr;
    }
}
