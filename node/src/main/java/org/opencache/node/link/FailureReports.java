package org.opencache.node.link;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.opencache.common.retry.Backoff;

/**
 * Which failures to reach the controller get a log line. A run of failures (hellos unanswered,
 * refused or not sent; the controller lost) gets a line for its first failure, then one for the
 * first failure after {@code first}, after twice that since the last line, and so on, doubling
 * up to {@code max}: a controller that stays away costs lines at about 0 s, 10 s, 30 s, 70 s, …
 * and then one an hour, where the node used to warn at every hello, every 10 s forever. The
 * connection ends the run, and the node says so in one line.
 *
 * <p>Used by the link thread only.
 */
final class FailureReports {
    /** The quiet after the first line of a run. */
    static final Duration FIRST_GAP = Duration.ofSeconds(10);
    /** The longest quiet between two lines: the controller still away is worth a line an hour. */
    static final Duration MAX_GAP = Duration.ofHours(1);

    private final Backoff gaps;
    private Instant since;
    private Instant nextLine;
    private Duration gap = Duration.ZERO;

    /** Gaps of 10 s doubling to an hour. */
    FailureReports() {
        this(FIRST_GAP, MAX_GAP);
    }

    /** Gaps from {@code first} doubling to {@code max}. */
    FailureReports(Duration first, Duration max) {
        this.gaps = Backoff.exact(first, max);
    }

    /** A failure happened now; returns whether it gets a log line (the first of a run always does). */
    boolean failed(Instant now) {
        if (since == null) {
            since = now;
        } else if (now.isBefore(nextLine)) {
            return false;
        }
        gap = gaps.next();
        nextLine = now.plus(gap);
        return true;
    }

    /** How long after the last line the next failure gets one: for that line to say so. */
    Duration gap() {
        return gap;
    }

    /**
     * The controller answered: the run, if there was one, is over.
     *
     * @return how long the run lasted, from its first failure; empty when nothing failed
     */
    Optional<Duration> ended(Instant now) {
        if (since == null) {
            return Optional.empty();
        }
        Duration lasted = Duration.between(since, now);
        since = null;
        gaps.reset();
        gap = Duration.ZERO;
        return Optional.of(lasted);
    }
}
