package org.opencache.node.http.rules;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that tests move by hand, so freshness and age are tested without sleeping. */
public final class MutableClock extends Clock {
    private volatile Instant now;

    /** Starts at the current second, so Date fields written by a test look plausible. */
    public MutableClock() {
        this.now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    }

    /** Moves the clock forward. */
    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("tests use UTC");
    }
}
