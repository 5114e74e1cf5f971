package org.opencache.common.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The time checks of signed requests (docs/design.md §4): a timestamp further than the margin
 * from this clock is stale, and a signature already accepted within the margin is a replay.
 *
 * <p>Only signatures that passed {@link ApiTokens#verify} reach {@link #admit}, so only token
 * holders can add entries, and each entry is dropped once its timestamp is stale anyway (after
 * at most twice the margin): the memory held is bounded by the request rate times the margin,
 * and by {@code capacity} beyond that.
 */
public final class ReplayGuard {
    private final Duration margin;
    private final Clock clock;
    private final int capacity;
    /** Signature (with the token name) to the instant after which its timestamp is stale. */
    private final Map<String, Instant> seen = new HashMap<>();
    private Instant nextSweep = Instant.MIN;

    /**
     * @param margin   {@code timestamp_error_margin}
     * @param clock    the controller's clock
     * @param capacity most signatures remembered; beyond it signed requests are refused until
     *                 entries expire (a token holder flooding the endpoint cannot make the
     *                 controller forget what it saw)
     */
    public ReplayGuard(Duration margin, Clock clock, int capacity) {
        this.margin = margin;
        this.clock = clock;
        this.capacity = capacity;
    }

    /** {@return why the signed request must be refused, or empty when it is admitted (and now remembered)} */
    public synchronized Optional<String> admit(HmacAuthorization authorization) {
        Instant now = clock.instant();
        Instant signed = Instant.ofEpochSecond(authorization.timestamp());
        Duration skew = Duration.between(signed, now).abs();
        if (skew.compareTo(margin) > 0) {
            return Optional.of("timestamp " + authorization.timestamp() + " is " + skew.toSeconds()
                    + "s from the controller's clock (" + now.getEpochSecond() + "); the margin is "
                    + margin.toSeconds() + "s (timestamp_error_margin)");
        }
        sweep(now);
        String key = authorization.name() + " " + authorization.signatureHex();
        if (seen.containsKey(key)) {
            return Optional.of("this signed request was already used; sign each request anew"
                    + " (a repeated call within the same second needs another id)");
        }
        if (seen.size() >= capacity) {
            return Optional.of("too many signed requests within timestamp_error_margin; try again shortly");
        }
        seen.put(key, signed.plus(margin).plusSeconds(1));
        return Optional.empty();
    }

    /** {@return how many signatures are remembered} */
    public synchronized int size() {
        sweep(clock.instant());
        return seen.size();
    }

    private void sweep(Instant now) {
        if (now.isBefore(nextSweep)) {
            return;
        }
        seen.values().removeIf(expiry -> !expiry.isAfter(now));
        nextSweep = now.plusSeconds(1);
    }
}
