package org.opencache.node.link;

import java.time.Duration;

/** Delays that double from {@code first} up to {@code max}, for retrying without hammering a peer. */
public final class Backoff {
    private final Duration first;
    private final Duration max;
    private Duration next;

    /** Starts at {@code first}. */
    public Backoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
        this.next = first;
    }

    /** The delay before the next retry; each call doubles the following one, up to the maximum. */
    public Duration next() {
        Duration current = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return current;
    }

    /** Starts again from the first delay (after a success). */
    public void reset() {
        next = first;
    }
}
