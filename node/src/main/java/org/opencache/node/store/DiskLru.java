package org.opencache.node.store;

import java.util.Comparator;
import java.util.TreeSet;

/**
 * Orders bodies by last use so that the disk tier can evict the least recently used one, without
 * making lookups take a lock.
 *
 * <p>Lookups only write {@link Body#lastAccess()}; the queue keeps each body under the tick it
 * had when it was last queued ({@link Body#queuedAccess()}, never newer than its last access).
 * When the head of the queue has been used since it was queued, it is re-queued under its new
 * tick and the search goes on. A head that has not been used since is truly the least recently
 * used body: every other body's last access is at least its queued tick, which is at least the
 * head's. So eviction is exact LRU and pays for reordering only when it actually evicts.
 *
 * <p>Not thread-safe: used under the store's write lock.
 */
final class DiskLru {
    private final TreeSet<Body> queue =
            new TreeSet<>(Comparator.comparingLong(Body::queuedAccess).thenComparing(Body::id));

    /** Queues a new body under its current last access. */
    void add(Body body) {
        body.requeueAt(body.lastAccess());
        queue.add(body);
    }

    /** Forgets a deleted body. */
    void remove(Body body) {
        queue.remove(body);
    }

    /** The least recently used body other than {@code spared}, or null if there is none. */
    Body eldest(Body spared) {
        while (true) {
            Body head = firstExcept(spared);
            if (head == null) {
                return null;
            }
            long seen = head.lastAccess();
            // "<=": two racing lookups may store their ticks out of order; older is not newer.
            if (seen <= head.queuedAccess()) {
                return head;
            }
            queue.remove(head);
            head.requeueAt(seen);
            queue.add(head);
        }
    }

    private Body firstExcept(Body spared) {
        for (Body body : queue) {
            if (body != spared) {
                return body;
            }
        }
        return null;
    }
}
