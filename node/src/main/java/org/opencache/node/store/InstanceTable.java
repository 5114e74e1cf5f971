package org.opencache.node.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The instances that hold objects, each named in the index by a short id (two bytes per key
 * instead of a reference to its expression), with the objects and bytes each holds, so that
 * {@code objectCount}/{@code objectBytes} are answered without walking the index. A body that
 * several keys of one instance share counts once ({@link Segment#attach}).
 */
final class InstanceTable {
    private final ConcurrentHashMap<String, Short> ids = new ConcurrentHashMap<>();
    private final List<Usage> byId = new ArrayList<>();

    /** What one instance holds. */
    private record Usage(String name, AtomicLong objects, AtomicLong bytes) {
    }

    /** The id of {@code instance}, made on first use. */
    short id(String instance) {
        Short known = ids.get(instance);
        if (known != null) {
            return known;
        }
        synchronized (byId) {
            return ids.computeIfAbsent(instance, name -> {
                if (byId.size() > Short.MAX_VALUE) {
                    throw new IllegalStateException("more than " + Short.MAX_VALUE + " instances have stored objects");
                }
                byId.add(new Usage(name, new AtomicLong(), new AtomicLong()));
                return (short) (byId.size() - 1);
            });
        }
    }

    /** The id of {@code instance}, or -1 if it never stored anything. */
    short find(String instance) {
        Short known = ids.get(instance);
        return known == null ? -1 : known;
    }

    /** One more body of {@code bytes} held by instance {@code id}. */
    void added(short id, long bytes) {
        Usage usage = usage(id);
        usage.objects().incrementAndGet();
        usage.bytes().addAndGet(bytes);
    }

    /** One body of {@code bytes} less held by instance {@code id}. */
    void removed(short id, long bytes) {
        Usage usage = usage(id);
        usage.objects().decrementAndGet();
        usage.bytes().addAndGet(-bytes);
    }

    /** Bodies held by {@code instance}. */
    long objects(String instance) {
        short id = find(instance);
        return id < 0 ? 0 : usage(id).objects().get();
    }

    /** Bytes of the bodies held by {@code instance}. */
    long bytes(String instance) {
        short id = find(instance);
        return id < 0 ? 0 : usage(id).bytes().get();
    }

    private Usage usage(short id) {
        synchronized (byId) {
            return byId.get(id);
        }
    }
}
