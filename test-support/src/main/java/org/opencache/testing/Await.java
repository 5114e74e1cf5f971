package org.opencache.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Waits for what happens on other threads or in other processes by polling a condition until a
 * deadline. A wait that reaches its deadline fails the test with an {@link AssertionError} naming
 * what was awaited and for how long: it never returns quietly.
 *
 * <p>The condition is first asked at once, then after pauses that double from 1 ms up to 50 ms,
 * so a quick effect is seen quickly and a slow one (a process start, a database) costs few polls.
 * A condition that throws ends the wait at once: an unchecked exception or error as it is, a
 * checked one as the cause of an {@link AssertionError}. Something that means "not yet" (a port
 * not listening yet) is the caller's to catch inside the condition.
 */
public final class Await {
    private static final long FIRST_PAUSE_NANOS = Duration.ofMillis(1).toNanos();
    private static final long MAX_PAUSE_NANOS = Duration.ofMillis(50).toNanos();
    private static final long HOLD_PAUSE_NANOS = Duration.ofMillis(10).toNanos();

    /** A condition that may do I/O. */
    @FunctionalInterface
    public interface Condition {
        /** Whether what is awaited has happened. */
        boolean holds() throws Exception;
    }

    /** A poll that may do I/O and yields a value once there is one. */
    @FunctionalInterface
    public interface Probe<T> {
        /** The value once there is one, else empty. */
        Optional<T> poll() throws Exception;
    }

    /** What a failure adds to its message: the last value seen, a log, the switch's flows... */
    @FunctionalInterface
    public interface Details {
        /** The text added below the failure's first line. */
        String describe() throws Exception;
    }

    private Await() {
    }

    /** Returns as soon as {@code condition} holds; fails saying "{@code what} within {@code timeout}" after it. */
    public static void until(String what, Duration timeout, Condition condition) {
        until(what, timeout, condition, null);
    }

    /** Like {@link #until(String, Duration, Condition)}, adding {@code details} to the failure's message. */
    public static void until(String what, Duration timeout, Condition condition, Details details) {
        Objects.requireNonNull(condition, "condition");
        value(what, timeout, () -> condition.holds() ? Optional.of(Boolean.TRUE) : Optional.empty(), details);
    }

    /** The first value {@code probe} yields; fails saying "{@code what} within {@code timeout}" if none comes. */
    public static <T> T value(String what, Duration timeout, Probe<T> probe) {
        return value(what, timeout, probe, null);
    }

    /** Like {@link #value(String, Duration, Probe)}, adding {@code details} to the failure's message. */
    public static <T> T value(String what, Duration timeout, Probe<T> probe, Details details) {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(probe, "probe");
        long start = System.nanoTime();
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            Optional<T> found = call(what, probe);
            if (found.isPresent()) {
                return found.get();
            }
            long left = timeout.toNanos() - (System.nanoTime() - start);
            if (left <= 0) {
                throw new AssertionError(what + " within " + describe(timeout) + describeDetails(details));
            }
            pause(what, Math.min(pause, left));
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }

    /**
     * Returns after {@code duration} if {@code condition} held all along (asked every 10 ms);
     * fails saying "{@code what} stopped holding" as soon as it does not.
     */
    public static void holds(String what, Duration duration, Condition condition) {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(condition, "condition");
        long start = System.nanoTime();
        while (true) {
            if (!call(what, () -> Optional.of(condition.holds())).orElseThrow()) {
                Duration held = Duration.ofMillis((System.nanoTime() - start) / 1_000_000);
                throw new AssertionError(what + " stopped holding after " + describe(held) + " of " + describe(duration));
            }
            long left = duration.toNanos() - (System.nanoTime() - start);
            if (left <= 0) {
                return;
            }
            pause(what, Math.min(HOLD_PAUSE_NANOS, left));
        }
    }

    /** {@code 60 s} for whole seconds, else {@code 1500 ms}. */
    static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static <T> Optional<T> call(String what, Probe<T> probe) {
        Optional<T> found;
        try {
            found = probe.poll();
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while awaiting " + what, e);
        } catch (Exception e) {
            throw new AssertionError("awaiting " + what + ": " + e, e);
        }
        return Objects.requireNonNull(found, "a probe yields an Optional, not null");
    }

    private static void pause(String what, long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while awaiting " + what, e);
        }
    }

    private static String describeDetails(Details details) {
        if (details == null) {
            return "";
        }
        try {
            return "\n" + details.describe();
        } catch (Exception e) {
            return "\n(no details: " + e + ")";
        }
    }
}
