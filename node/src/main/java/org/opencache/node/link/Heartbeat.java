package org.opencache.node.link;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * When the node sends {@code keep_alive}, and whether the controller still answers: it is lost
 * when the oldest unanswered keep-alive is {@code 2 × keep_alive_interval} old. Answers come in
 * order, so an answer settles its keep-alive and every earlier one.
 *
 * <p>Used by the link thread only.
 */
final class Heartbeat {
    private record Sent(long id, Instant at) {
    }

    private final Duration interval;
    private final Duration patience;
    private final Deque<Sent> unanswered = new ArrayDeque<>();
    private Instant next;

    Heartbeat(Duration interval) {
        this.interval = interval;
        this.patience = interval.multipliedBy(2);
    }

    /** Starts beating after a successful hello: the first keep-alive is due one interval later. */
    void start(Instant now) {
        unanswered.clear();
        next = now.plus(interval);
    }

    /** Whether a keep-alive is due. */
    boolean due(Instant now) {
        return !now.isBefore(next);
    }

    /** A keep-alive with this id was sent (or attempted) now. */
    void sent(long id, Instant now) {
        unanswered.addLast(new Sent(id, now));
        next = now.plus(interval);
    }

    /** Whether {@code id} is an unanswered keep-alive; if so it and every earlier one are settled. */
    boolean answered(long id) {
        if (unanswered.stream().noneMatch(sent -> sent.id() == id)) {
            return false;
        }
        while (!unanswered.isEmpty() && unanswered.peekFirst().id() <= id) {
            unanswered.removeFirst();
        }
        return true;
    }

    /** Whether the controller has let a keep-alive go unanswered for too long. */
    boolean lost(Instant now) {
        return !unanswered.isEmpty() && !now.isBefore(unanswered.peekFirst().at().plus(patience));
    }

    /** The next moment something may be due: a keep-alive, or the loss of the oldest unanswered one. */
    Instant nextDeadline() {
        return unanswered.isEmpty() ? next : min(next, unanswered.peekFirst().at().plus(patience));
    }

    /** How long the controller may stay silent. */
    Duration patience() {
        return patience;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
