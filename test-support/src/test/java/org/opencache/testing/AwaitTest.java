package org.opencache.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void returnsAsSoonAsTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        Await.until("the third poll", Duration.ofSeconds(5), () -> polls.incrementAndGet() == 3);
        assertEquals(3, polls.get());
    }

    @Test
    void failsAtItsDeadlineNamingWhatWasAwaitedAndForHowLong() {
        long start = System.nanoTime();
        AssertionError failure = assertThrows(AssertionError.class,
                () -> Await.until("the impossible", Duration.ofMillis(200), () -> false));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals("the impossible within 200 ms", failure.getMessage());
        assertTrue(waitedMs >= 200, "failed after " + waitedMs + " ms, before its deadline");
        assertTrue(waitedMs < 2_000, "failed after " + waitedMs + " ms, long after its deadline");
    }

    @Test
    void wholeSecondsAreSaidInSecondsAndDetailsFollowTheFirstLine() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> Await.until("the log line", Duration.ofSeconds(1), () -> false, () -> "the log:\nnothing"));
        assertEquals("the log line within 1 s\nthe log:\nnothing", failure.getMessage());
    }

    @Test
    void detailsThatFailAreNamedInsteadOfHidingTheTimeout() {
        AssertionError failure = assertThrows(AssertionError.class, () -> Await.until("x", Duration.ofMillis(20),
                () -> false, () -> {
                    throw new IOException("no log");
                }));
        assertEquals("x within 20 ms\n(no details: java.io.IOException: no log)", failure.getMessage());
    }

    @Test
    void valueReturnsWhatTheProbeFoundFirst() {
        AtomicInteger polls = new AtomicInteger();
        String found = Await.value("a value", Duration.ofSeconds(5),
                () -> polls.incrementAndGet() < 4 ? Optional.empty() : Optional.of("poll " + polls.get()));
        assertEquals("poll 4", found);
    }

    @Test
    void valueFailsAtItsDeadlineToo() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> Await.value("a value", Duration.ofMillis(50), Optional::empty));
        assertEquals("a value within 50 ms", failure.getMessage());
    }

    @Test
    void aCheckedExceptionEndsTheWaitAtOnceAsItsCause() {
        IOException refused = new IOException("refused");
        long start = System.nanoTime();
        AssertionError failure = assertThrows(AssertionError.class,
                () -> Await.until("an answer", Duration.ofSeconds(30), () -> {
                    throw refused;
                }));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "did not wait out the timeout");
        assertSame(refused, failure.getCause());
        assertEquals("awaiting an answer: java.io.IOException: refused", failure.getMessage());
    }

    @Test
    void anUncheckedExceptionOrAnAssertionPassesThroughAsItIs() {
        IllegalStateException broken = new IllegalStateException("broken");
        assertSame(broken, assertThrows(IllegalStateException.class, () -> Await.until("x", Duration.ofSeconds(30),
                () -> {
                    throw broken;
                })));
        AssertionError inner = new AssertionError("a client request hung");
        assertSame(inner, assertThrows(AssertionError.class, () -> Await.until("x", Duration.ofSeconds(30),
                () -> {
                    throw inner;
                })));
    }

    @Test
    void anInterruptedWaitFailsAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();
        try {
            AssertionError failure = assertThrows(AssertionError.class,
                    () -> Await.until("the impossible", Duration.ofSeconds(30), () -> false));
            assertEquals("interrupted while awaiting the impossible", failure.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void holdsReturnsAfterTheDurationWhenTheConditionHeldAllAlong() {
        AtomicInteger polls = new AtomicInteger();
        long start = System.nanoTime();
        Await.holds("still true", Duration.ofMillis(100), () -> polls.incrementAndGet() > 0);
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(100).toNanos());
        assertTrue(polls.get() > 1, "asked " + polls.get() + " times");
    }

    @Test
    void holdsFailsAsSoonAsTheConditionStopsHolding() {
        AtomicInteger polls = new AtomicInteger();
        AssertionError failure = assertThrows(AssertionError.class,
                () -> Await.holds("the link", Duration.ofSeconds(30), () -> polls.incrementAndGet() < 3));
        assertTrue(failure.getMessage().startsWith("the link stopped holding after "), failure.getMessage());
        assertTrue(failure.getMessage().endsWith(" of 30 s"), failure.getMessage());
        assertEquals(3, polls.get());
    }
}
