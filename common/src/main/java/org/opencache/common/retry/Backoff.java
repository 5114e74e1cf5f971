package org.opencache.common.retry;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Delays for retrying a lost peer without hammering it: they double from {@code first} up to
 * {@code max}, and each is shortened by a random share of up to {@code jitter}, so that the nodes
 * that lost the same controller, switch or database at the same moment do not all retry in
 * lockstep. The node link, the switch session and the controller's database connection use it.
 *
 * <p>Not thread-safe: one instance per retry loop.
 */
public final class Backoff {
    /** The share by which a delay is shortened at most: 10 s becomes between 8 and 10 s. */
    public static final double DEFAULT_JITTER = 0.2;

    private final Duration first;
    private final Duration max;
    private final double jitter;
    private final RandomGenerator random;
    private Duration next;

    /**
     * Delays from {@code first} doubling to {@code max}, with {@link #DEFAULT_JITTER}.
     *
     * @throws IllegalArgumentException unless {@code 0 < first <= max}
     */
    public Backoff(Duration first, Duration max) {
        this(first, max, DEFAULT_JITTER, new SplittableRandom());
    }

    /**
     * Delays with a chosen jitter.
     *
     * @param jitter share of a delay that may be taken off at random, 0 (none) to 1
     * @param random where the randomness comes from (a seeded one in tests)
     * @throws IllegalArgumentException unless {@code 0 < first <= max} and {@code 0 <= jitter <= 1}
     */
    public Backoff(Duration first, Duration max, double jitter, RandomGenerator random) {
        if (!first.isPositive() || first.compareTo(max) > 0) {
            throw new IllegalArgumentException("back-off needs 0 < first <= max, not " + first + " and " + max);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must lie in [0, 1], not " + jitter);
        }
        this.first = first;
        this.max = max;
        this.jitter = jitter;
        this.random = random;
        this.next = first;
    }

    /** Delays without jitter: exactly {@code first}, twice that, … up to {@code max}. */
    public static Backoff exact(Duration first, Duration max) {
        return new Backoff(first, max, 0, new SplittableRandom());
    }

    /** The delay before the next retry; each call doubles the following one, up to the maximum. */
    public Duration next() {
        Duration current = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        if (jitter == 0) {
            return current;
        }
        // Whole milliseconds: nothing sleeps finer, and log lines stay readable.
        return current.minusNanos((long) (current.toNanos() * jitter * random.nextDouble())).truncatedTo(ChronoUnit.MILLIS);
    }

    /** Starts again from the first delay (after a success). */
    public void reset() {
        next = first;
    }
}
