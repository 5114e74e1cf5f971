package org.opencache.controller.nodes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Warnings about what one node sent and the controller dropped (a malformed frame, a report
 * whose counters break the bounds, a hello it cannot read): the first goes to the log at once,
 * the rest from the same node within {@link #WINDOW} are only counted, and the first one after
 * the window says how many were not logged. A node that floods the link with bad messages, by
 * bug or on purpose, therefore costs one log line a minute, not one per message, while every
 * node still gets its own first line.
 *
 * <p>Thread-safe: the link's I/O thread (frames) and handler thread (payloads) share one.
 */
final class NodeWarnings {
    /** How long the warnings about one node stay quiet after one was logged. */
    static final Duration WINDOW = Duration.ofMinutes(1);
    /**
     * Senders remembered at most. Identities are chosen by whoever connects, so the map is
     * bounded; past it, expired entries are pruned, and if none has expired, senders share one
     * entry rather than memory growing.
     */
    private static final int MAX_SENDERS = 10_000;
    private static final String OTHERS = "(too many senders to tell apart)";

    private final Logger log;
    private final Clock clock;
    private final Map<String, Quiet> quiet = new HashMap<>();

    /** Since when a sender's warnings are quiet, and how many were held back since. */
    private static final class Quiet {
        private final Instant since;
        private long heldBack;

        Quiet(Instant since) {
            this.since = since;
        }
    }

    /**
     * Warnings written to {@code log}.
     *
     * @param clock decides when a window is over
     */
    NodeWarnings(Logger log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /**
     * Logs {@code line} at WARN, unless a warning about {@code sender} was logged less than
     * {@link #WINDOW} ago, in which case it is only counted.
     *
     * @param sender the node's socket identity (its uuid), which keys the window
     * @param line   the whole warning, naming the node and what was wrong
     */
    synchronized void warn(String sender, String line) {
        Instant now = clock.instant();
        String key = keyFor(sender, now);
        Quiet current = quiet.get(key);
        if (current != null && now.isBefore(current.since.plus(WINDOW))) {
            current.heldBack++;
            return;
        }
        quiet.put(key, new Quiet(now));
        if (current == null || current.heldBack == 0) {
            log.warn(line);
        } else {
            log.warn("{} ({} more warning(s) about {} held back since {})", line, current.heldBack, sender,
                    current.since);
        }
    }

    private String keyFor(String sender, Instant now) {
        if (quiet.containsKey(sender) || quiet.size() < MAX_SENDERS) {
            return sender;
        }
        // Only entries with nothing held back may go: their count would otherwise be lost silently.
        quiet.values().removeIf(q -> !now.isBefore(q.since.plus(WINDOW)) && q.heldBack == 0);
        return quiet.size() < MAX_SENDERS ? sender : OTHERS;
    }
}
