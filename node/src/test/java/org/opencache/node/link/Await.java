package org.opencache.node.link;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until a deadline, for effects that happen on other threads or processes. */
final class Await {
    private static final long PAUSE_NANOS = Duration.ofMillis(10).toNanos();

    private Await() {
    }

    /** Returns as soon as {@code condition} holds; fails saying {@code what} after {@code timeout}. */
    static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail(what + " within " + timeout.toMillis() + " ms");
            }
            LockSupport.parkNanos(PAUSE_NANOS);
        }
    }

    /** Fails if {@code condition} stops holding before {@code duration} is over. */
    static void holds(String what, Duration duration, BooleanSupplier condition) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() - end < 0) {
            if (!condition.getAsBoolean()) {
                fail(what + " stopped holding");
            }
            LockSupport.parkNanos(PAUSE_NANOS);
        }
    }
}
