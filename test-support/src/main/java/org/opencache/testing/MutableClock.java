package org.opencache.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A UTC clock that tests move by hand, so freshness, ages, expiry and load windows are tested
 * without sleeping. Safe to read from any thread while the test moves it.
 */
public final class MutableClock extends Clock {
    private volatile Instant now;

    /** Starts at the current second, so Date fields written by a test look plausible. */
    public MutableClock() {
        this(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
    }

    /** Starts at {@code start}. */
    public MutableClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /** Moves the clock forward (or back, for a negative duration). */
    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** Sets the clock to {@code instant}. */
    public void set(Instant instant) {
        now = Objects.requireNonNull(instant, "instant");
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** This clock for UTC; tests use no other zone. */
    @Override
    public Clock withZone(ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone.normalized())) {
            return this;
        }
        throw new UnsupportedOperationException("tests use UTC, not " + zone);
    }
}
