package org.opencache.node.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that tests move by hand, so freshness and age are tested without sleeping. */
final class MutableClock extends Clock {
    private volatile Instant now;

    /** Starts at the current second, so Date fields written by a test look plausible. */
    MutableClock() {
        this.now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    }

    /** Moves the clock forward. */
    void advance(Duration duration) {
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
