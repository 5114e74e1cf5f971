package org.opencache.common.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheMaximumAndStartsOverAfterReset() {
        Backoff backoff = Backoff.exact(Duration.ofMillis(500), Duration.ofSeconds(10));
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(backoff.next().toMillis());
        }
        assertEquals(List.of(500L, 1_000L, 2_000L, 4_000L, 8_000L, 10_000L, 10_000L, 10_000L), delays);

        backoff.reset();
        assertEquals(Duration.ofMillis(500), backoff.next());
    }

    @Test
    void jitterShortensEachDelayByAtMostItsShareAndSpreadsRetries() {
        Set<Duration> seen = new HashSet<>();
        for (int loop = 0; loop < 50; loop++) {
            Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(4), 0.2, new SplittableRandom(loop));
            for (long base : new long[] {1_000, 2_000, 4_000, 4_000}) {
                Duration delay = backoff.next();
                assertTrue(delay.toMillis() <= base && delay.toMillis() >= base * 8 / 10,
                        delay + " for a base of " + base + " ms");
                seen.add(delay);
            }
        }
        assertTrue(seen.size() > 100, "retries of 50 peers spread out: " + seen.size() + " distinct delays of 200");
    }

    @Test
    void refusesBoundsThatMakeNoSense() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.exact(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> Backoff.exact(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 1.5, new SplittableRandom()));
    }
}
