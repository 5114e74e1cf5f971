package org.opencache.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MutableClockTest {
    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void standsStillUntilMovedThenAdvancesByExactlyTheDuration() {
        MutableClock clock = new MutableClock(T0);
        assertEquals(T0, clock.instant());
        assertEquals(T0, clock.instant(), "no time passes by itself");

        clock.advance(Duration.ofSeconds(10));
        assertEquals(T0.plusSeconds(10), clock.instant());
        clock.advance(Duration.ofMillis(1));
        assertEquals(T0.plusMillis(10_001), clock.instant());
        assertEquals(T0.plusMillis(10_001).toEpochMilli(), clock.millis());
    }

    @Test
    void setPutsItAnywhere() {
        MutableClock clock = new MutableClock(T0);
        clock.set(T0.minusSeconds(3600));
        assertEquals(T0.minusSeconds(3600), clock.instant());
    }

    @Test
    void aNewClockStartsAtTheCurrentWholeSecond() {
        Instant before = Instant.now();
        Instant start = new MutableClock().instant();
        assertEquals(0, start.getNano());
        assertTrue(!start.isAfter(Instant.now()) && !start.isBefore(before.minusSeconds(1)), start.toString());
    }

    @Test
    void isUtcOnly() {
        MutableClock clock = new MutableClock(T0);
        assertEquals(ZoneOffset.UTC, clock.getZone());
        assertSame(clock, clock.withZone(ZoneOffset.UTC));
        assertSame(clock, clock.withZone(ZoneId.of("Z")));
        assertThrows(UnsupportedOperationException.class, () -> clock.withZone(ZoneId.of("Europe/Paris")));
    }
}
