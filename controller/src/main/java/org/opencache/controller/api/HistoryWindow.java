package org.opencache.controller.api;

import java.time.Duration;
import java.time.Instant;
import org.opencache.common.config.Units;
import org.opencache.common.expr.ClientText;

/**
 * The time axis of a {@code history} call (docs/design.md §4): reports from {@code from}
 * (included) to {@code to} (excluded), cut into intervals of {@code step} starting at {@code from},
 * the last one shortened by {@code to}. A series has one point per interval, at most
 * {@link #MAX_POINTS}.
 *
 * @param from start of the first interval
 * @param to   end of the last interval (excluded)
 * @param step length of an interval, a whole number of seconds
 */
record HistoryWindow(Instant from, Instant to, Duration step) {
    /** The most points one series may have. */
    static final int MAX_POINTS = 1000;
    /** The window when {@code from} is absent: the hour before {@code to}. */
    static final Duration DEFAULT_SPAN = Duration.ofHours(1);
    /**
     * The shortest default step: a node reports every {@code stat_refresh} (60 s by default), so a
     * finer step would mostly give empty intervals between reports.
     */
    static final Duration MIN_DEFAULT_STEP = Duration.ofMinutes(1);

    /**
     * The window the parameters describe, or a {@code -32602} that says what to change.
     *
     * @param from absent: {@link #DEFAULT_SPAN} before {@code to}
     * @param to   absent: {@code now}
     * @param step a number of seconds or a duration ({@code 30s}, {@code 5m}, {@code 1h}); absent:
     *             the smallest whole number of seconds that gives at most {@link #MAX_POINTS}
     *             points, and at least {@link #MIN_DEFAULT_STEP}
     */
    static HistoryWindow of(Instant from, Instant to, String step, Instant now) {
        Instant end = to == null ? now : to;
        Instant start = from == null ? end.minus(DEFAULT_SPAN) : from;
        if (!start.isBefore(end)) {
            throw RpcException.invalidParams("'from' (" + start + ") must be before 'to' (" + end + ")"
                    + (to == null ? ", which is absent: now" : ""));
        }
        long spanSeconds = ceilSeconds(Duration.between(start, end));
        long minimum = Math.ceilDiv(spanSeconds, MAX_POINTS);
        if (step == null) {
            return new HistoryWindow(start, end, Duration.ofSeconds(Math.max(minimum, MIN_DEFAULT_STEP.toSeconds())));
        }
        Duration parsed = parseStep(step);
        long points = Math.ceilDiv(spanSeconds, parsed.toSeconds());
        if (points > MAX_POINTS) {
            throw RpcException.invalidParams("step " + Units.formatDuration(parsed) + " gives " + points
                    + " points from " + start + " to " + end + "; a series has at most " + MAX_POINTS
                    + ": use a step of at least " + Units.formatDuration(Duration.ofSeconds(minimum))
                    + " (or omit step to get that)");
        }
        return new HistoryWindow(start, end, parsed);
    }

    /** A whole number of seconds, at least 1; the text as {@link Units#parseDuration} reads it. */
    private static Duration parseStep(String text) {
        Duration step;
        try {
            step = Units.parseDuration(text.strip());
        } catch (IllegalArgumentException e) {
            throw RpcException.invalidParams("step: " + ClientText.echo(e.getMessage())
                    + " (a number of seconds, or a duration such as 30s, 5m, 1h)");
        }
        if (step.toNanosPart() != 0 || step.getSeconds() < 1) {
            throw RpcException.invalidParams("step: '" + ClientText.echo(text) + "' is not a whole number of seconds"
                    + " of at least 1 (e.g. 60, \"30s\", \"5m\")");
        }
        return step;
    }

    private static long ceilSeconds(Duration duration) {
        return duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
    }

    /** How many intervals, hence points per series. */
    int intervals() {
        return (int) Math.ceilDiv(ceilSeconds(Duration.between(from, to)), step.toSeconds());
    }

    /** The interval holding {@code time}, or -1 when it is outside the window. */
    int indexOf(Instant time) {
        if (time.isBefore(from) || !time.isBefore(to)) {
            return -1;
        }
        return (int) (Duration.between(from, time).getSeconds() / step.toSeconds());
    }

    /** When interval {@code index} starts. */
    Instant start(int index) {
        return from.plus(step.multipliedBy(index));
    }
}
