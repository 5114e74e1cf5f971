package org.opencache.node.store;

import java.util.HashMap;
import java.util.Map;

/**
 * The bodies one instance holds, each counted once however many of the instance's keys serve it,
 * so that {@code objectCount}/{@code objectBytes} are answered without walking the index.
 * Changed under the store's write lock; the totals are volatile so stats read them lock-free.
 */
final class InstanceUsage {
    private final Map<Body, Integer> keysPerBody = new HashMap<>();
    private volatile long bodies;
    private volatile long bytes;

    /** One more key of this instance serves {@code body}. */
    void add(Body body) {
        if (keysPerBody.merge(body, 1, Integer::sum) == 1) {
            bodies = keysPerBody.size();
            bytes = bytes + body.length();
        }
    }

    /** One key of this instance no longer serves {@code body}; true if the instance holds nothing now. */
    boolean remove(Body body) {
        Integer count = keysPerBody.get(body);
        if (count != null && count > 1) {
            keysPerBody.put(body, count - 1);
        } else if (count != null) {
            keysPerBody.remove(body);
            bodies = keysPerBody.size();
            bytes = bytes - body.length();
        }
        return keysPerBody.isEmpty();
    }

    /** Distinct bodies held. */
    long bodies() {
        return bodies;
    }

    /** Bytes of the distinct bodies held. */
    long bytes() {
        return bytes;
    }
}
