package org.opencache.controller.state;

import com.mongodb.client.model.Filters;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.opencache.common.protocol.InstanceStats;
import org.opencache.common.protocol.InstanceStatus;

/**
 * Field names of docs/design.md §8 and the only mapping between documents and records. Times are BSON
 * dates (millisecond precision); numbers are read through {@link Number} so documents written by
 * other tools (a shell storing doubles, say) still read.
 */
final class Documents {
    static final String NODE_ID = "node-id";
    static final String UUID = "uuid";
    static final String HOST = "host";
    static final String NODE_PORT = "node_port";
    static final String STATUS = "status";
    static final String LAST_SEEN = "last_seen";
    static final String VERSION = "version";
    /** A node's version when its hello gave none, or its document predates stored versions. */
    static final String UNKNOWN_VERSION = "unknown";
    static final String EXPR = "expr";
    static final String PORT = "port";
    static final String HORIZON = "horizon";
    /** {@code instances}: when a stopped instance was first recorded stopped. */
    static final String STOPPED_AT = "stopped_at";
    static final String AVG_LOAD = "avg_load";
    static final String CACHE_HIT = "cache_hit";
    static final String CACHE_HIT_SIZE = "cache_hit_size";
    static final String CACHE_MISS = "cache_miss";
    static final String CACHE_MISS_SIZE = "cache_miss_size";
    static final String ORIGIN_ERROR = "origin_error";
    static final String CACHE_OBJECT = "cache_object";
    static final String CACHE_OBJECT_SIZE = "cache_object_size";
    static final String SEEN = "seen";
    /** {@code stats_history}: start of the bucket's hour. */
    static final String HOUR = "hour";
    /** {@code stats_history}: the bucket's points, each a stat without its key. */
    static final String POINTS = "points";
    /** {@code stats_history}: number of points in the bucket. */
    static final String COUNT = "count";
    /** {@code stats_history} point: when it was reported. */
    static final String T = "t";
    /** {@code alerts}: when it was raised. */
    static final String TIME = "time";
    /** {@code alerts}: {@code load} or {@code disk}. */
    static final String ALERT_TYPE = "type";
    /** {@code alerts}: the measured load or disk use. */
    static final String ALERT_VALUE = "value";
    /** {@code counters}: the last value handed out. */
    static final String COUNTER_VALUE = "value";

    private Documents() {
    }

    /** Filter on an instance's key, shared by {@code instances}, {@code stats} and history. */
    static Bson instanceKey(int nodeId, String expr) {
        return Filters.and(Filters.eq(NODE_ID, nodeId), Filters.eq(EXPR, expr));
    }

    /** The start of the hour holding {@code time}: the key of its history bucket. */
    static Date hourOf(Instant time) {
        return Date.from(time.truncatedTo(ChronoUnit.HOURS));
    }

    static NodeRecord toNode(Document d) {
        return new NodeRecord(integer(d, NODE_ID), d.getString(UUID), d.getString(HOST), integer(d, NODE_PORT),
                NodeStatus.fromWire(d.getString(STATUS)), instant(d, LAST_SEEN),
                d.getString(VERSION) == null ? UNKNOWN_VERSION : d.getString(VERSION));
    }

    /** The fields a hello sets on a node, everything but its key and id. */
    static Document nodeFields(String uuid, String host, int nodePort, String version, Instant now) {
        return new Document(UUID, uuid).append(HOST, host).append(NODE_PORT, nodePort)
                .append(STATUS, NodeStatus.UP.wireName()).append(LAST_SEEN, Date.from(now)).append(VERSION, version);
    }

    static Document fromInstance(InstanceRecord i) {
        Document d = new Document(NODE_ID, i.nodeId()).append(EXPR, i.expr()).append(STATUS, i.status().wireName())
                .append(PORT, i.port()).append(HORIZON, i.horizon().toSeconds());
        return i.stoppedAt() == null ? d : d.append(STOPPED_AT, Date.from(i.stoppedAt()));
    }

    static InstanceRecord toInstance(Document d) {
        return new InstanceRecord(integer(d, NODE_ID), d.getString(EXPR), InstanceStatus.fromWire(d.getString(STATUS)),
                integer(d, PORT), Duration.ofSeconds(((Number) d.get(HORIZON)).longValue()),
                d.getDate(STOPPED_AT) == null ? null : instant(d, STOPPED_AT));
    }

    /** An {@code alerts} document; one about the whole node has no {@code expr}. */
    static Document fromAlert(AlertRecord a) {
        Document d = new Document(NODE_ID, a.nodeId());
        if (a.expr() != null) {
            d.append(EXPR, a.expr());
        }
        return d.append(ALERT_TYPE, a.type()).append(ALERT_VALUE, a.value()).append(TIME, Date.from(a.time()));
    }

    static AlertRecord toAlert(Document d) {
        return new AlertRecord(integer(d, NODE_ID), d.getString(EXPR), d.getString(ALERT_TYPE),
                ((Number) d.get(ALERT_VALUE)).doubleValue(), instant(d, TIME));
    }

    /** A {@code stats} document: the key and the counters. */
    static Document fromStat(StatRecord s) {
        Document d = new Document(NODE_ID, s.nodeId()).append(EXPR, s.expr());
        counters(d, s.counters());
        return d.append(SEEN, Date.from(s.seen()));
    }

    static StatRecord toStat(Document d) {
        return stat(integer(d, NODE_ID), d.getString(EXPR), d, instant(d, SEEN));
    }

    /** A history point: the counters and their time, without the key its bucket already has. */
    static Document toPoint(StatRecord s) {
        Document d = new Document(T, Date.from(s.seen()));
        counters(d, s.counters());
        return d;
    }

    /** The stat a history point stands for, given the key of its bucket. */
    static StatRecord fromPoint(int nodeId, String expr, Document point) {
        return stat(nodeId, expr, point, instant(point, T));
    }

    /** The time of a history point. */
    static Instant pointTime(Document point) {
        return instant(point, T);
    }

    private static void counters(Document d, InstanceStats s) {
        d.append(STATUS, s.status().wireName()).append(PORT, s.port()).append(AVG_LOAD, s.avgLoad())
                .append(CACHE_HIT, s.cacheHit()).append(CACHE_HIT_SIZE, s.cacheHitSize())
                .append(CACHE_MISS, s.cacheMiss()).append(CACHE_MISS_SIZE, s.cacheMissSize())
                .append(ORIGIN_ERROR, s.originError())
                .append(CACHE_OBJECT, s.cacheObject()).append(CACHE_OBJECT_SIZE, s.cacheObjectSize());
    }

    private static StatRecord stat(int nodeId, String expr, Document d, Instant seen) {
        return new StatRecord(nodeId, new InstanceStats(expr, InstanceStatus.fromWire(d.getString(STATUS)),
                integer(d, PORT), ((Number) d.get(AVG_LOAD)).doubleValue(), number(d, CACHE_HIT),
                number(d, CACHE_HIT_SIZE), number(d, CACHE_MISS), number(d, CACHE_MISS_SIZE),
                numberOrZero(d, ORIGIN_ERROR), number(d, CACHE_OBJECT),
                number(d, CACHE_OBJECT_SIZE)), seen);
    }

    private static int integer(Document d, String field) {
        return ((Number) d.get(field)).intValue();
    }

    private static long number(Document d, String field) {
        return ((Number) d.get(field)).longValue();
    }

    /** A field documents written before it existed lack ({@code origin_error}). */
    private static long numberOrZero(Document d, String field) {
        Object value = d.get(field);
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static Instant instant(Document d, String field) {
        return d.getDate(field).toInstant();
    }
}
