package org.opencache.controller.state;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;
import static org.opencache.controller.state.Documents.COUNT;
import static org.opencache.controller.state.Documents.EXPR;
import static org.opencache.controller.state.Documents.HOUR;
import static org.opencache.controller.state.Documents.NODE_ID;
import static org.opencache.controller.state.Documents.POINTS;
import static org.opencache.controller.state.Documents.SEEN;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoServerException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.opencache.common.protocol.InstanceStatus;

/**
 * {@link ControllerState} kept in MongoDB (or the embedded server), in the collections of
 * docs/design.md §8. Stateless apart from its {@link Database}, so it is thread-safe and several
 * controllers may share one database.
 *
 * <p><b>Node ids.</b> A hello first looks its uuid up. Only a new uuid takes a number from the
 * {@code counters} collection ({@code $inc}), then inserts itself with an upsert keyed on the
 * uuid. The unique indexes settle every race: two hellos of one node collide on {@code uuid} and
 * the loser's retry finds the winner's document; two nodes handed the same number (the embedded
 * server does not make {@code $inc} atomic under concurrent clients) collide on {@code node-id}
 * and the loser takes another. A lost race may leave a gap in the numbering, never two ids for
 * one uuid nor one id for two uuids.
 *
 * <p><b>History buckets.</b> {@code stats_history} holds one document per instance and hour,
 * {@code {"node-id", "expr", "hour", "points": [{"t", "status", "port", "avg_load", …}], "count"}},
 * because the embedded server scans large collections slowly: a day of minute-by-minute reports is
 * 24 documents per instance, not 1440. Reports are appended with {@code $push} to the bucket of
 * their own time. The API's {@code history} reads them through {@link #historyInstances} (one
 * aggregation: which instances have buckets in a window), {@link #statsHistory} and
 * {@link #statBefore} (the report a window's first one counts its increase over).
 *
 * <p><b>Expiry.</b> The embedded server accepts TTL indexes but does not enforce them, so
 * {@link StatsExpiry} calls {@link #expireStatsBefore}; against a real MongoDB it is harmless
 * duplication of the TTL monitor.
 */
public final class MongoControllerState implements ControllerState {
    private static final int DUPLICATE_KEY_ATTEMPTS = 3;
    /** Enough for many hellos racing the embedded server's non-atomic counter. */
    private static final int REGISTER_ATTEMPTS = 50;
    private static final FindOneAndUpdateOptions UPSERT_AFTER =
            new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER);
    private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);

    private final Database database;

    /** State over {@code database}; calls throw {@link DatabaseUnavailableException} until it is ready. */
    public MongoControllerState(Database database) {
        this.database = database;
    }

    @Override
    public List<NodeRecord> nodes() {
        return on(Schema.NODES, nodes -> nodes.find().sort(Sorts.ascending(NODE_ID))
                .map(Documents::toNode).into(new ArrayList<>()));
    }

    @Override
    public Optional<NodeRecord> node(int nodeId) {
        return on(Schema.NODES, nodes -> Optional.ofNullable(nodes.find(eq(NODE_ID, nodeId)).first())
                .map(Documents::toNode));
    }

    @Override
    public NodeRecord registerNode(String uuid, String host, int nodePort, String version, Instant now) {
        Bson byUuid = eq(Documents.UUID, uuid);
        Document hello = new Document("$set", Documents.nodeFields(uuid, host, nodePort, version, now));
        FindOneAndUpdateOptions after = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);
        return database.execute(db -> {
            MongoCollection<Document> nodes = db.getCollection(Schema.NODES);
            for (int attempt = 1; ; attempt++) {
                Document known = nodes.findOneAndUpdate(byUuid, hello, after);
                if (known != null) {
                    return Documents.toNode(known);
                }
                Document insert = new Document(hello).append("$setOnInsert", new Document(NODE_ID, nextNodeId(db)));
                try {
                    return Documents.toNode(nodes.findOneAndUpdate(byUuid, insert, UPSERT_AFTER));
                } catch (MongoServerException e) {
                    // Same uuid inserted meanwhile (found on the next lookup), or an id handed out
                    // twice: the embedded server's $inc is not atomic under concurrency.
                    if (attempt >= REGISTER_ATTEMPTS || !isDuplicateKey(e)) {
                        throw e;
                    }
                }
            }
        });
    }

    private static int nextNodeId(MongoDatabase db) {
        Document counter = retryOnDuplicateKey(() -> db.getCollection(Schema.COUNTERS).findOneAndUpdate(
                eq("_id", Schema.NODE_ID_COUNTER), Updates.inc(Documents.COUNTER_VALUE, 1), UPSERT_AFTER));
        return ((Number) counter.get(Documents.COUNTER_VALUE)).intValue();
    }

    /**
     * {@inheritDoc} A null {@code lastSeen} leaves the stored time alone (a node marked down was,
     * by definition, not heard from). An unknown node id is ignored.
     */
    @Override
    public void updateNodeStatus(int nodeId, NodeStatus status, Instant lastSeen) {
        Bson update = lastSeen == null
                ? Updates.set(Documents.STATUS, status.wireName())
                : Updates.combine(Updates.set(Documents.STATUS, status.wireName()),
                        Updates.set(Documents.LAST_SEEN, Date.from(lastSeen)));
        on(Schema.NODES, nodes -> nodes.updateOne(eq(NODE_ID, nodeId), update));
    }

    @Override
    public List<InstanceRecord> instances() {
        return on(Schema.INSTANCES, instances -> instances.find().sort(Sorts.ascending(NODE_ID, EXPR))
                .map(Documents::toInstance).into(new ArrayList<>()));
    }

    /**
     * {@inheritDoc} The earlier stop time is read first; two writers racing may each keep their
     * own, which differ by no more than the race.
     */
    @Override
    public void putInstance(InstanceRecord instance) {
        Bson key = Documents.instanceKey(instance.nodeId(), instance.expr());
        on(Schema.INSTANCES, instances -> {
            InstanceRecord kept = instance;
            if (instance.status() == InstanceStatus.STOP) {
                Document known = instances.find(key).first();
                InstanceRecord earlier = known == null ? null : Documents.toInstance(known);
                if (earlier != null && earlier.stoppedAt() != null) {
                    kept = new InstanceRecord(instance.nodeId(), instance.expr(), instance.status(), instance.port(),
                            instance.horizon(), earlier.stoppedAt());
                }
            }
            Document document = Documents.fromInstance(kept);
            return retryOnDuplicateKey(() -> instances.replaceOne(key, document, new ReplaceOptions().upsert(true)));
        });
    }

    /** {@inheritDoc} Its history stays until it expires, so graphs of a removed instance still draw. */
    @Override
    public void removeInstance(int nodeId, String expr) {
        Bson key = Documents.instanceKey(nodeId, expr);
        database.execute(db -> {
            db.getCollection(Schema.INSTANCES).deleteOne(key);
            return db.getCollection(Schema.STATS).deleteOne(key);
        });
    }

    /** {@inheritDoc} The last call wins the latest counters; the point goes to the bucket of its hour. */
    @Override
    public void recordStat(StatRecord stat) {
        Bson key = Documents.instanceKey(stat.nodeId(), stat.expr());
        Document latest = Documents.fromStat(stat);
        Bson bucket = and(key, eq(HOUR, Documents.hourOf(stat.seen())));
        Bson append = Updates.combine(Updates.push(POINTS, Documents.toPoint(stat)), Updates.inc(COUNT, 1));
        database.execute(db -> {
            MongoCollection<Document> stats = db.getCollection(Schema.STATS);
            MongoCollection<Document> history = db.getCollection(Schema.STATS_HISTORY);
            retryOnDuplicateKey(() -> stats.replaceOne(key, latest, new ReplaceOptions().upsert(true)));
            return retryOnDuplicateKey(() -> history.updateOne(bucket, append, UPSERT));
        });
    }

    @Override
    public List<StatRecord> stats() {
        return on(Schema.STATS, stats -> stats.find().sort(Sorts.ascending(NODE_ID, EXPR))
                .map(Documents::toStat).into(new ArrayList<>()));
    }

    /** {@inheritDoc} Both ends are included. */
    @Override
    public List<StatRecord> statsHistory(int nodeId, String expr, Instant from, Instant to) {
        if (from.isAfter(to)) {
            return List.of();
        }
        Bson buckets = and(Documents.instanceKey(nodeId, expr),
                gte(HOUR, Documents.hourOf(from)), lte(HOUR, Date.from(to)));
        return on(Schema.STATS_HISTORY, history -> {
            List<StatRecord> points = new ArrayList<>();
            for (Document bucket : history.find(buckets).sort(Sorts.ascending(HOUR))) {
                for (Document point : bucket.getList(POINTS, Document.class, List.of())) {
                    Instant t = Documents.pointTime(point);
                    if (!t.isBefore(from) && !t.isAfter(to)) {
                        points.add(Documents.fromPoint(nodeId, expr, point));
                    }
                }
            }
            // Points arrive in report order, which need not be time order.
            points.sort(Comparator.comparing(StatRecord::seen));
            return points;
        });
    }

    /**
     * {@inheritDoc} One aggregation ({@code $match} on the bucket key and hour, {@code $group} by
     * instance): the server sends one small document per instance, not its buckets.
     */
    @Override
    public List<InstanceKey> historyInstances(Collection<Integer> nodeIds, Collection<String> exprs, Instant from,
            Instant to) {
        if (from.isAfter(to)) {
            return List.of();
        }
        List<Bson> conditions = new ArrayList<>(List.of(gte(HOUR, Documents.hourOf(from)), lte(HOUR, Date.from(to))));
        if (nodeIds != null) {
            conditions.add(in(NODE_ID, nodeIds));
        }
        if (exprs != null) {
            conditions.add(in(EXPR, exprs));
        }
        List<Bson> pipeline = List.of(
                Aggregates.match(and(conditions)),
                Aggregates.group(new Document("n", "$" + NODE_ID).append("e", "$" + EXPR)),
                Aggregates.sort(Sorts.ascending("_id.n", "_id.e")));
        return on(Schema.STATS_HISTORY, history -> history.aggregate(pipeline)
                .map(group -> group.get("_id", Document.class))
                .map(id -> new InstanceKey(((Number) id.get("n")).intValue(), id.getString("e")))
                .into(new ArrayList<>()));
    }

    /**
     * {@inheritDoc} Reads at most two buckets: the one of {@code before}'s hour, whose points may
     * all be later, and the newest one before it, whose points are all earlier.
     */
    @Override
    public Optional<StatRecord> statBefore(InstanceKey instance, Instant before) {
        Bson buckets = and(Documents.instanceKey(instance.nodeId(), instance.expr()),
                lte(HOUR, Documents.hourOf(before)));
        return on(Schema.STATS_HISTORY, history -> {
            for (Document bucket : history.find(buckets).sort(Sorts.descending(HOUR)).limit(2)) {
                Optional<Document> newest = bucket.getList(POINTS, Document.class, List.of()).stream()
                        .filter(point -> Documents.pointTime(point).isBefore(before))
                        .max(Comparator.comparing(Documents::pointTime));
                if (newest.isPresent()) {
                    return newest.map(point -> Documents.fromPoint(instance.nodeId(), instance.expr(), point));
                }
            }
            return Optional.empty();
        });
    }

    @Override
    public void recordAlert(AlertRecord alert) {
        Document document = Documents.fromAlert(alert);
        on(Schema.ALERTS, alerts -> alerts.insertOne(document));
    }

    /** {@inheritDoc} Equal times keep insertion order ({@code _id}), so a page never reorders. */
    @Override
    public List<AlertRecord> alerts(Instant since, Collection<Integer> nodeIds, Collection<String> exprs, int limit) {
        List<Bson> conditions = new ArrayList<>();
        if (since != null) {
            conditions.add(gte(Documents.TIME, Date.from(since)));
        }
        if (nodeIds != null) {
            conditions.add(in(NODE_ID, nodeIds));
        }
        if (exprs != null) {
            conditions.add(in(EXPR, exprs));
        }
        Bson filter = conditions.isEmpty() ? new Document() : and(conditions);
        return on(Schema.ALERTS, alerts -> {
            List<AlertRecord> newest = alerts.find(filter).sort(Sorts.descending(Documents.TIME, "_id")).limit(limit)
                    .map(Documents::toAlert).into(new ArrayList<>());
            return newest.reversed();
        });
    }

    /**
     * {@inheritDoc} A crash between the node document and the rest leaves records of a node-id
     * that no node holds again (ids are never reused); the API ignores records of unknown nodes.
     */
    @Override
    public Optional<NodeRecord> forgetNode(int nodeId) {
        Bson down = and(eq(NODE_ID, nodeId), eq(Documents.STATUS, NodeStatus.DOWN.wireName()));
        Bson ofNode = eq(NODE_ID, nodeId);
        return database.execute(db -> {
            Document forgotten = db.getCollection(Schema.NODES).findOneAndDelete(down);
            if (forgotten == null) {
                return Optional.empty();
            }
            for (String collection : new String[] {Schema.INSTANCES, Schema.STATS, Schema.STATS_HISTORY,
                Schema.ALERTS}) {
                db.getCollection(collection).deleteMany(ofNode);
            }
            return Optional.of(Documents.toNode(forgotten));
        });
    }

    /**
     * {@inheritDoc} Counts latest-stat documents, alerts and history points. Buckets wholly before
     * {@code cutoff} are deleted; the one straddling it loses its older points.
     */
    @Override
    public long expireStatsBefore(Instant cutoff) {
        Date lastWholeHour = Date.from(cutoff.minus(Duration.ofHours(1)));
        return database.execute(db -> {
            long removed = db.getCollection(Schema.STATS).deleteMany(lt(SEEN, Date.from(cutoff))).getDeletedCount();
            removed += db.getCollection(Schema.ALERTS).deleteMany(lt(Documents.TIME, Date.from(cutoff))).getDeletedCount();
            MongoCollection<Document> history = db.getCollection(Schema.STATS_HISTORY);
            Bson whole = lte(HOUR, lastWholeHour);
            for (Document bucket : history.find(whole).projection(Projections.include(COUNT))) {
                removed += count(bucket);
            }
            history.deleteMany(whole);
            Bson straddling = and(gt(HOUR, lastWholeHour), lt(POINTS + "." + Documents.T, Date.from(cutoff)));
            for (Document bucket : history.find(straddling)) {
                removed += trim(history, bucket, cutoff);
            }
            return removed;
        });
    }

    /**
     * Drops a bucket's points older than {@code cutoff}; returns how many. The write is conditional
     * on the bucket's count, so a point pushed meanwhile is never lost: the trim then waits for the
     * next run instead.
     */
    private static long trim(MongoCollection<Document> history, Document bucket, Instant cutoff) {
        List<Document> points = bucket.getList(POINTS, Document.class, List.of());
        List<Document> kept = points.stream().filter(p -> !Documents.pointTime(p).isBefore(cutoff)).toList();
        Bson unchanged = and(eq("_id", bucket.get("_id")), eq(COUNT, bucket.get(COUNT)));
        long changed = kept.isEmpty()
                ? history.deleteOne(unchanged).getDeletedCount()
                : history.updateOne(unchanged, Updates.combine(Updates.set(POINTS, kept),
                        Updates.set(COUNT, kept.size()))).getModifiedCount();
        return changed == 0 ? 0 : points.size() - kept.size();
    }

    private static long count(Document bucket) {
        Object count = bucket.get(COUNT);
        return count instanceof Number n ? n.longValue() : 0;
    }

    private <T> T on(String collection, Function<MongoCollection<Document>, T> operation) {
        return database.execute(db -> operation.apply(db.getCollection(collection)));
    }

    /**
     * Runs an upsert again when it lost a race to insert the same key: MongoDB may report that as
     * a duplicate key instead of turning the upsert into an update; the retry then updates.
     */
    private static <T> T retryOnDuplicateKey(Supplier<T> upsert) {
        for (int attempt = 1; ; attempt++) {
            try {
                return upsert.get();
            } catch (MongoServerException e) {
                if (attempt >= DUPLICATE_KEY_ATTEMPTS || !isDuplicateKey(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean isDuplicateKey(MongoServerException e) {
        return ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY;
    }
}
