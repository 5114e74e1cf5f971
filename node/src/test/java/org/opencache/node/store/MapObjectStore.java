package org.opencache.node.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link ObjectStore} for tests of the layers above the store: bodies are byte
 * arrays in a map, links are a second map, and {@code max_item_size} is enforced at commit like
 * the real store does. Not for production: no memory bound, no disk, nothing survives a restart.
 */
public final class MapObjectStore implements ObjectStore {
    private final long maxItemSize;
    private final Map<StoreKey, Entry> objects = new ConcurrentHashMap<>();
    private final Map<StoreKey, StoreKey> links = new ConcurrentHashMap<>();
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger aborts = new AtomicInteger();
    private volatile boolean keepNothing;

    private record Entry(ObjectMeta meta, byte[] body) implements StoredObject {
        @Override
        public InputStream openBody() {
            return new ByteArrayInputStream(body);
        }
    }

    /** A store without an item size limit. */
    public MapObjectStore() {
        this(0);
    }

    /** @param maxItemSize the largest body stored, in bytes; 0 for no limit */
    public MapObjectStore(long maxItemSize) {
        this.maxItemSize = maxItemSize;
    }

    @Override
    public Optional<StoredObject> lookup(StoreKey key) {
        return Optional.ofNullable(objects.get(resolve(key)));
    }

    /**
     * From now on every commit is refused, as when the real store's eviction policy does not admit
     * an object: complete responses are handed back by {@link StoreWriter#unkept()} instead.
     */
    public void keepNothing() {
        keepNothing = true;
    }

    @Override
    public StoreWriter begin(StoreKey key, ObjectMeta meta) {
        if (maxItemSize > 0 && meta.bodyLength() > maxItemSize) {
            return new RefusedWriter(StoreRefusal.TOO_LARGE);
        }
        return new StoreWriter() {
            private final ByteArrayOutputStream body = new ByteArrayOutputStream();
            private boolean tooLarge;
            private boolean done;
            private StoredObject unkept;

            @Override
            public void write(ByteBuffer bytes) {
                ByteBuffer copy = bytes.duplicate();
                if (done || tooLarge) {
                    return;
                }
                if (maxItemSize > 0 && body.size() + copy.remaining() > maxItemSize) {
                    tooLarge = true;
                    body.reset();
                    return;
                }
                byte[] chunk = new byte[copy.remaining()];
                copy.get(chunk);
                body.writeBytes(chunk);
            }

            @Override
            public boolean commit() {
                if (done || tooLarge) {
                    done = true;
                    return false;
                }
                done = true;
                byte[] bytes = body.toByteArray();
                if (keepNothing) {
                    unkept = new Entry(meta.withBodyLength(bytes.length), bytes);
                    return false;
                }
                links.remove(key);
                objects.put(key, new Entry(meta.withBodyLength(bytes.length), bytes));
                commits.incrementAndGet();
                return true;
            }

            @Override
            public Optional<StoredObject> unkept() {
                return Optional.ofNullable(unkept);
            }

            @Override
            public Optional<StoreRefusal> refusal() {
                return tooLarge ? Optional.of(StoreRefusal.TOO_LARGE)
                        : unkept != null ? Optional.of(StoreRefusal.NOT_ADMITTED) : Optional.empty();
            }

            @Override
            public void abort() {
                if (!done) {
                    done = true;
                    aborts.incrementAndGet();
                }
            }
        };
    }

    @Override
    public boolean updateMeta(StoreKey key, ObjectMeta meta) {
        Entry updated = objects.computeIfPresent(resolve(key),
                (k, old) -> new Entry(meta.withBodyLength(old.body().length), old.body()));
        return updated != null;
    }

    @Override
    public boolean remove(StoreKey key) {
        boolean link = links.remove(key) != null;
        return objects.remove(key) != null || link;
    }

    @Override
    public void link(StoreKey alias, StoreKey target) {
        if (!objects.containsKey(resolve(target))) {
            throw new IllegalStateException("no object stored under " + target);
        }
        objects.remove(alias);
        links.put(alias, resolve(target));
    }

    @Override
    public void removeInstance(String instance) {
        objects.keySet().removeIf(key -> key.instance().equals(instance));
        links.keySet().removeIf(key -> key.instance().equals(instance));
    }

    /** {@inheritDoc} Writes in flight are not guarded here (the real store refuses their commits). */
    @Override
    public int purge(PurgeMatch match) {
        int before = objects.size() + links.size();
        objects.keySet().removeIf(match::matches);
        links.keySet().removeIf(match::matches);
        return before - objects.size() - links.size();
    }

    @Override
    public int purgeExpiredBefore(Instant cutoff) {
        int before = objects.size();
        objects.values().removeIf(entry -> entry.meta().expires().isBefore(cutoff));
        links.values().removeIf(target -> !objects.containsKey(target));
        return before - objects.size();
    }

    @Override
    public long objectCount(String instance) {
        return objects.keySet().stream().filter(key -> key.instance().equals(instance)).count();
    }

    @Override
    public long objectBytes(String instance) {
        return objects.entrySet().stream().filter(e -> e.getKey().instance().equals(instance))
                .mapToLong(e -> e.getValue().body().length).sum();
    }

    @Override
    public long diskBytes() {
        return objects.values().stream().map(Entry::body).distinct().mapToLong(body -> body.length).sum();
    }

    @Override
    public void close() {
    }

    /** Objects committed so far (tests: "stored exactly once"). */
    public int commits() {
        return commits.get();
    }

    /** Writers aborted so far (tests: "a broken transfer is discarded"). */
    public int aborts() {
        return aborts.get();
    }

    private StoreKey resolve(StoreKey key) {
        return links.getOrDefault(key, key);
    }
}
