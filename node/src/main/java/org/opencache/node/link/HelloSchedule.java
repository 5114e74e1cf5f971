package org.opencache.node.link;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.opencache.common.retry.Backoff;

/**
 * When the node says {@code hello}, and which answers are answers to it.
 *
 * <p>A hello that went out unanswered is repeated with back-off (0.5 s doubling to 10 s), so a
 * struggling controller is not flooded. A hello that could not go out at all (no connection: the
 * socket queues nothing for an absent peer) is retried every 100 ms, the pace at which ZeroMQ
 * reconnects, so the node says hello as soon as a restarted controller is back. Any answer to any
 * hello of the current round counts: a slow answer is as good as a fast one. Which failures are
 * logged is {@link FailureReports}'s business, not this schedule's.
 *
 * <p>Used by the link thread only.
 */
final class HelloSchedule {
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);
    private static final Duration UNSENT_RETRY = Duration.ofMillis(100);

    private final Backoff backoff;
    private final Set<Long> ids = new HashSet<>();
    private Instant next = Instant.MIN;
    private int attempts;

    /** Hellos backing off from 0.5 s to 10 s, with jitter. */
    HelloSchedule() {
        this(new Backoff(FIRST_RETRY, MAX_RETRY));
    }

    /** Hellos spaced by {@code backoff} (a jitter-free one in tests). */
    HelloSchedule(Backoff backoff) {
        this.backoff = backoff;
    }

    /** Starts a round: say hello now. */
    void restart(Instant now) {
        ids.clear();
        backoff.reset();
        attempts = 0;
        next = now;
    }

    /** Whether it is time to say hello. */
    boolean due(Instant now) {
        return !now.isBefore(next);
    }

    /** When it is next time to say hello. */
    Instant next() {
        return next;
    }

    /** A hello with this id went out now; returns the delay before the next one. */
    Duration sent(long id, Instant now) {
        ids.add(id);
        attempts++;
        Duration delay = backoff.next();
        next = now.plus(delay);
        return delay;
    }

    /** How many hellos of this round went out. */
    int attempts() {
        return attempts;
    }

    /** A hello could not go out: try again shortly. */
    void unsent(Instant now) {
        next = now.plus(UNSENT_RETRY);
    }

    /** Whether {@code id} is a hello of this round. */
    boolean isHello(long id) {
        return ids.contains(id);
    }

    /** The controller answered: the round is over. */
    void answered() {
        ids.clear();
    }
}
