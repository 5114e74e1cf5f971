package org.opencache.node.http.rules;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.opencache.node.store.ObjectMeta;

/**
 * How long a stored response stays fresh and how old it is (RFC 9111 §4.2), free of I/O.
 *
 * <p>The lifetime is {@code s-maxage}, else {@code max-age}, else {@code Expires − Date}
 * (§4.2.1); without any of these a heuristic lifetime (§4.2.2), and only for the statuses RFC 9110
 * §15.1 calls heuristically cacheable, and for {@code public} responses: the instance's {@code horizon} when the operator set one
 * (docs/design.md §6), else 10 % of the time since {@code Last-Modified}, capped at a day.
 * {@code no-cache} on the response means a lifetime of zero: stored, but validated on every use.
 * The directives are those of the governing targeted field when there is one (RFC 9213,
 * {@link TargetedFields}), which also sets {@code Expires} aside.
 */
final class Freshness {
    /**
     * The statuses RFC 9110 §15.1 calls heuristically cacheable, plus 451 (RFC 7725 §3), less 206:
     * partial content is never stored (see docs/http-caching.md).
     */
    static final Set<Integer> HEURISTIC_STATUSES = Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 451,
            501);

    /** The share of the time since Last-Modified that the heuristic grants (RFC 9111 §4.2.2). */
    private static final int HEURISTIC_PERCENT = 10;

    // RFC 9111 §4.2.2 notes that heuristic lifetimes over a day surprise people; it is our cap.
    static final Duration HEURISTIC_CAP = Duration.ofDays(1);

    private final Clock clock;
    private final Supplier<Duration> horizon;

    /**
     * @param clock   the time source for ages
     * @param horizon the heuristic lifetime the operator chose, read on every use so that a
     *                {@code start} with a new horizon applies in place; zero (or negative) to use
     *                Last-Modified instead
     */
    Freshness(Clock clock, Supplier<Duration> horizon) {
        this.clock = clock;
        this.horizon = horizon;
    }

    /** Freshness with a horizon that never changes; it must not be negative. */
    Freshness(Clock clock, Duration horizon) {
        this(clock, fixed(horizon));
    }

    /** {@code horizon} as a supplier, refused when negative. */
    static Supplier<Duration> fixed(Duration horizon) {
        if (horizon.isNegative()) {
            throw new IllegalArgumentException("horizon must not be negative: " + horizon);
        }
        return () -> horizon;
    }

    /** The current instant of the injected clock. */
    Instant now() {
        return clock.instant();
    }

    /** The freshness lifetime (RFC 9111 §4.2.1), explicit or heuristic. */
    Duration lifetime(ObjectMeta response) {
        Parsed parsed = parsed(response);
        // A qualified no-cache="field" keeps the response fresh: the field is not stored (CachePolicy.shared).
        if (parsed.directives().unqualified("no-cache")) {
            return Duration.ZERO;
        }
        return parsed.explicitLifetime().orElseGet(() -> heuristicLifetime(response));
    }

    /** The lifetime the response states itself, if it states one (also what makes it storable, §3). */
    Optional<Duration> explicitLifetime(ObjectMeta response) {
        return parsed(response).explicitLifetime();
    }

    /**
     * The heuristic lifetime (RFC 9111 §4.2.2); zero unless the status is heuristically cacheable
     * or the response is {@code public}, which makes it so (§5.2.2.9).
     */
    Duration heuristicLifetime(ObjectMeta response) {
        Parsed parsed = parsed(response);
        if (!parsed.heuristicallyCacheable()) {
            return Duration.ZERO;
        }
        Duration operators = horizon.get();
        return operators.isPositive() ? operators : parsed.lastModifiedHeuristic();
    }

    /** Whether the response may be given a heuristic lifetime: its status, or {@code public} (§5.2.2.9). */
    static boolean isHeuristicallyCacheable(ObjectMeta response) {
        return parsed(response).heuristicallyCacheable();
    }

    /** The response's current age (RFC 9111 §4.2.3), never negative. */
    Duration currentAge(ObjectMeta response) {
        return parsed(response).correctedInitialAge()
                .plus(nonNegative(Duration.between(response.responseTime(), now())));
    }

    /** How long the response has been stale; zero or negative while it is fresh. */
    Duration staleness(ObjectMeta response) {
        return currentAge(response).minus(lifetime(response));
    }

    /** The instant the response turns stale, by the clock of its receipt. */
    Instant staleAt(ObjectMeta response) {
        return response.responseTime().plus(lifetime(response)).minus(parsed(response).correctedInitialAge());
    }

    /** The response's directives: its governing targeted field's, else its {@code Cache-Control}'s. */
    static CacheControl directives(ObjectMeta response) {
        return parsed(response).directives();
    }

    /**
     * What freshness needs from a stored response's fields. Parsed once per {@link ObjectMeta}
     * ({@link StoredView}): a hit would otherwise parse {@code Cache-Control}, {@code Date},
     * {@code Age}, {@code Expires} and {@code Last-Modified} again on every request. Nothing here
     * depends on the clock or on the instance's horizon.
     */
    record Parsed(CacheControl directives, Duration correctedInitialAge, Optional<Duration> explicitLifetime,
            boolean heuristicallyCacheable, Duration lastModifiedHeuristic) {
    }

    private static Parsed parsed(ObjectMeta response) {
        return StoredView.of(response).freshness();
    }

    /** Parses what freshness needs from a stored response (once per response: {@link StoredView}). */
    static Parsed parse(ObjectMeta response) {
        // RFC 9213 §2.1: a governing targeted field replaces Cache-Control and Expires.
        Optional<CacheControl> targeted = TargetedFields.directives(response.headers());
        CacheControl directives = targeted.orElseGet(() ->
                CacheControl.parse(HeaderFields.values(response.headers(), HttpHeader.CACHE_CONTROL.asString())));
        Instant date = dateValue(response);
        return new Parsed(directives, correctedInitialAge(response, date),
                explicitLifetime(response, directives, date, targeted.isEmpty()),
                HEURISTIC_STATUSES.contains(response.status()) || directives.has("public"),
                lastModifiedHeuristic(response, date));
    }

    private static Optional<Duration> explicitLifetime(ObjectMeta response, CacheControl directives, Instant date,
            boolean expiresApplies) {
        OptionalLong explicit = directives.seconds("s-maxage");
        if (explicit.isEmpty()) {
            explicit = directives.seconds("max-age");
        }
        if (explicit.isPresent()) {
            return Optional.of(Duration.ofSeconds(explicit.getAsLong()));
        }
        String expires = expiresApplies ? response.header(HttpHeader.EXPIRES.asString()) : null;
        if (expires == null) {
            return Optional.empty();
        }
        // An invalid Expires, "0" included, means already expired (RFC 9111 §5.3).
        return Optional.of(HeaderFields.parseDate(expires)
                .map(at -> nonNegative(Duration.between(date, at)))
                .orElse(Duration.ZERO));
    }

    // 10 % of the time since Last-Modified, capped; used when the operator set no horizon.
    private static Duration lastModifiedHeuristic(ObjectMeta response, Instant date) {
        return HeaderFields.parseDate(response.header(HttpHeader.LAST_MODIFIED.asString()))
                .map(lastModified -> nonNegative(Duration.between(lastModified, date)))
                .map(sinceModified -> sinceModified.multipliedBy(HEURISTIC_PERCENT).dividedBy(100))
                .map(lifetime -> lifetime.compareTo(HEURISTIC_CAP) > 0 ? HEURISTIC_CAP : lifetime)
                .orElse(Duration.ZERO);
    }

    // The age the response already had when it arrived: the larger of what its Date implies and
    // what upstream caches claimed in Age plus the time the request took.
    private static Duration correctedInitialAge(ObjectMeta response, Instant date) {
        Duration apparentAge = nonNegative(Duration.between(date, response.responseTime()));
        Duration responseDelay = nonNegative(Duration.between(response.requestTime(), response.responseTime()));
        Duration correctedAgeValue = Duration.ofSeconds(ageValue(response)).plus(responseDelay);
        return apparentAge.compareTo(correctedAgeValue) >= 0 ? apparentAge : correctedAgeValue;
    }

    // A response without a usable Date is dated when it was received (RFC 9110 §6.6.1).
    private static Instant dateValue(ObjectMeta response) {
        return HeaderFields.parseDate(response.header(HttpHeader.DATE.asString())).orElse(response.responseTime());
    }

    // RFC 9111 §5.1: Age is a singleton. *Choice:* a value that is not exactly one delta-seconds
    // ("abc", "-1", "7200.0", "7200;x=1", or a list: "7200, 0", two Age lines) makes the response
    // as old as an age can be (2^31 s, §1.2.2), so stale. §5.1 suggests using a list's first
    // member and ignoring an invalid value, but §4.2.1 allows treating several values as stale and
    // encourages it for invalid freshness information: a cache that cannot tell how old a
    // response is revalidates it rather than calling it new. Empty members are no members
    // (RFC 9110 §5.6.1).
    static long ageValue(ObjectMeta response) {
        String single = null;
        for (String line : HeaderFields.values(response.headers(), HttpHeader.AGE.asString())) {
            for (String member : CacheControl.splitOutsideQuotes(line)) {
                String value = member.strip();
                if (value.isEmpty()) {
                    continue;
                }
                if (single != null || !CacheControl.isDigits(value)) {
                    return CacheControl.MAX_DELTA_SECONDS;
                }
                single = value;
            }
        }
        return single == null ? 0 : CacheControl.deltaSeconds(single);
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
