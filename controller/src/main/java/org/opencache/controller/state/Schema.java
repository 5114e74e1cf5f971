package org.opencache.controller.state;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * The collections and indexes of docs/design.md §8, created idempotently each time the controller
 * connects, so an empty database, an old one and one shared by replicas all end up alike.
 */
final class Schema {
    static final String NODES = "nodes";
    static final String INSTANCES = "instances";
    static final String STATS = "stats";
    static final String STATS_HISTORY = "stats_history";
    static final String ALERTS = "alerts";
    static final String COUNTERS = "counters";

    /** The {@code counters} document that hands out node ids. */
    static final String NODE_ID_COUNTER = "node-id";

    private static final int NAMESPACE_EXISTS = 48;

    private final MongoDatabase mongo;
    private final Duration statRetention;

    Schema(MongoDatabase mongo, Duration statRetention) {
        this.mongo = mongo;
        this.statRetention = statRetention;
    }

    /** Creates whatever is missing; safe to run any number of times, from any number of replicas. */
    void ensure() {
        Set<String> existing = mongo.listCollectionNames().into(new HashSet<>());
        for (String name : new String[] {NODES, INSTANCES, STATS, STATS_HISTORY, ALERTS, COUNTERS}) {
            if (!existing.contains(name)) {
                createCollection(name);
            }
        }
        IndexOptions unique = new IndexOptions().unique(true);
        index(NODES, ascending(Documents.NODE_ID), unique);
        index(NODES, ascending(Documents.UUID), unique);
        index(INSTANCES, ascending(Documents.NODE_ID, Documents.EXPR), unique);
        index(STATS, ascending(Documents.NODE_ID, Documents.EXPR), unique);
        index(STATS, ascending(Documents.SEEN), ttl(statRetention));
        index(STATS_HISTORY, ascending(Documents.NODE_ID, Documents.EXPR, Documents.HOUR), unique);
        // A bucket holds points up to an hour after its key, so it may only go an hour later.
        index(STATS_HISTORY, ascending(Documents.HOUR), ttl(statRetention.plusHours(1)));
        index(ALERTS, ascending(Documents.TIME), new IndexOptions());
        // Seeded so that the first node-id is 1 and concurrent first hellos need not race an upsert.
        mongo.getCollection(COUNTERS).updateOne(Filters.eq("_id", NODE_ID_COUNTER),
                Updates.setOnInsert(Documents.COUNTER_VALUE, 0), new UpdateOptions().upsert(true));
    }

    private void createCollection(String name) {
        try {
            mongo.createCollection(name);
        } catch (MongoCommandException e) {
            if (e.getErrorCode() != NAMESPACE_EXISTS) { // another replica was quicker: fine
                throw e;
            }
        }
    }

    private static IndexOptions ttl(Duration retention) {
        return new IndexOptions().expireAfter(Math.max(1, retention.toSeconds()), TimeUnit.SECONDS);
    }

    private static Document ascending(String... fields) {
        Document keys = new Document();
        for (String field : fields) {
            keys.append(field, 1);
        }
        return keys;
    }

    /**
     * Creates an index unless one with these keys and options exists. One with the same keys but
     * other options (typically a TTL from an earlier {@code stat_retention}) is dropped first: a
     * real MongoDB would refuse the new one, and the embedded server would keep both.
     */
    private void index(String collection, Document keys, IndexOptions options) {
        MongoCollection<Document> target = mongo.getCollection(collection);
        boolean present = false;
        for (Document existing : target.listIndexes().into(new ArrayList<>())) {
            Document existingKeys = existing.get("key", Document.class);
            if (existingKeys == null || !List.copyOf(existingKeys.keySet()).equals(List.copyOf(keys.keySet()))) {
                continue;
            }
            if (!present && sameOptions(existing, options)) {
                present = true;
            } else {
                target.dropIndex(existing.getString("name"));
            }
        }
        if (!present) {
            target.createIndex(keys, options);
        }
    }

    private static boolean sameOptions(Document existing, IndexOptions wanted) {
        boolean unique = Boolean.TRUE.equals(existing.get("unique"));
        Object ttl = existing.get("expireAfterSeconds");
        Long wantedTtl = wanted.getExpireAfter(TimeUnit.SECONDS);
        return unique == wanted.isUnique()
                && (ttl instanceof Number n ? Long.valueOf(n.longValue()).equals(wantedTtl) : wantedTtl == null);
    }
}
