package org.opencache.node.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.opencache.node.store.ObjectMeta;

/**
 * The caching rules of one instance, free of I/O: which exchanges may use the cache, which
 * responses may be stored, how long they stay fresh and how old they are (RFC 9111 §3, §4.2).
 * Time comes from the injected {@link Clock}, so tests move it instead of sleeping.
 *
 * <p>Decisions worth knowing:
 * <ul>
 *   <li>Freshness is {@code s-maxage}, else {@code max-age}, else {@code Expires − Date}, else the
 *       instance's {@code horizon} (our heuristic, DESIGN.md §6). {@code no-cache} on the
 *       response means a lifetime of zero: it may be stored, but is validated on every use.</li>
 *   <li>A response with no freshness left is only worth storing if it carries a validator
 *       ({@code ETag} or {@code Last-Modified}), because all it can ever do is be revalidated.</li>
 *   <li>A request {@code max-age=0} is treated like {@code no-cache} (what browsers send on
 *       reload), since ages are whole seconds and a same-second age of 0 would otherwise pass.</li>
 * </ul>
 */
final class CachePolicy {
    /** The statuses RFC 9110 §15.1 calls heuristically cacheable, less 206 (ranges come later). */
    private static final Set<Integer> STORABLE_STATUSES = Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);

    private final Clock clock;
    private final Duration horizon;

    /**
     * @param clock   the time source for ages and freshness
     * @param horizon the freshness lifetime of responses that state none; zero for none
     */
    CachePolicy(Clock clock, Duration horizon) {
        if (horizon.isNegative()) {
            throw new IllegalArgumentException("horizon must not be negative: " + horizon);
        }
        this.clock = clock;
        this.horizon = horizon;
    }

    /** The current instant of the injected clock. */
    Instant now() {
        return clock.instant();
    }

    /**
     * Whether a request may be answered from, and fill, the cache at all: GET and HEAD only, and
     * not when it carries credentials, whose responses are the user's own (RFC 9111 §3.5).
     */
    boolean mayUseCache(String method, boolean hasAuthorization) {
        return (method.equals("GET") || method.equals("HEAD")) && !hasAuthorization;
    }

    /** Whether a status may be stored with heuristic (horizon) or explicit freshness. */
    static boolean isStorableStatus(int status) {
        return STORABLE_STATUSES.contains(status);
    }

    /**
     * Whether a response to a GET may be stored (RFC 9111 §3): storable status, no
     * {@code no-store} on either side, not {@code private}, not {@code Vary: *}, and either some
     * freshness or a validator to revalidate with.
     */
    boolean mayStore(CacheControl request, ObjectMeta response) {
        CacheControl directives = directives(response);
        if (!isStorableStatus(response.status()) || request.has("no-store")
                || directives.has("no-store") || directives.has("private")
                || CacheKeys.varyNames(response.headers()).contains("*")) {
            return false;
        }
        return freshnessLifetime(response).isPositive() || hasValidator(response);
    }

    /** The freshness lifetime (RFC 9111 §4.2.1), falling back to the horizon. */
    Duration freshnessLifetime(ObjectMeta response) {
        CacheControl directives = directives(response);
        if (directives.has("no-cache")) {
            return Duration.ZERO;
        }
        OptionalLong explicit = directives.seconds("s-maxage");
        if (explicit.isEmpty()) {
            explicit = directives.seconds("max-age");
        }
        if (explicit.isPresent()) {
            return Duration.ofSeconds(explicit.getAsLong());
        }
        String expires = response.header(HttpHeader.EXPIRES.asString());
        if (expires != null) {
            // An invalid Expires, "0" included, means already expired (RFC 9111 §5.3).
            return HeaderFields.parseDate(expires)
                    .map(at -> nonNegative(Duration.between(dateValue(response), at)))
                    .orElse(Duration.ZERO);
        }
        return horizon;
    }

    /** The response's current age (RFC 9111 §4.2.3), never negative. */
    Duration currentAge(ObjectMeta response) {
        return correctedInitialAge(response).plus(nonNegative(Duration.between(response.responseTime(), now())));
    }

    /** Whether the response is fresh now: its lifetime exceeds its age. */
    boolean isFresh(ObjectMeta response) {
        return freshnessLifetime(response).compareTo(currentAge(response)) > 0;
    }

    /**
     * Whether the request refuses a stored response without validation, even a fresh one:
     * {@code no-cache}, {@code max-age=0}, a {@code max-age} the response's age exceeds, or
     * HTTP/1.0 {@code Pragma: no-cache} when there is no {@code Cache-Control}.
     */
    boolean requestDemandsValidation(CacheControl request, boolean pragmaNoCache, ObjectMeta response) {
        if (request.has("no-cache") || (pragmaNoCache && request.directives().isEmpty())) {
            return true;
        }
        OptionalLong maxAge = request.seconds("max-age");
        return maxAge.isPresent()
                && (maxAge.getAsLong() == 0 || currentAge(response).getSeconds() > maxAge.getAsLong());
    }

    /**
     * The metadata to store for a response, with {@code expires} set to the instant it turns
     * stale, so the store's purge can find it.
     */
    ObjectMeta describe(int status, List<Map.Entry<String, String>> headers, Instant requestTime,
            Instant responseTime, long bodyLength) {
        ObjectMeta meta = new ObjectMeta(status, headers, requestTime, responseTime, responseTime, bodyLength);
        Instant staleAt = responseTime.plus(freshnessLifetime(meta)).minus(correctedInitialAge(meta));
        return new ObjectMeta(status, headers, requestTime, responseTime, staleAt, bodyLength);
    }

    /** Whether the response can be validated: it has an {@code ETag} or a {@code Last-Modified}. */
    static boolean hasValidator(ObjectMeta response) {
        return response.header(HttpHeader.ETAG.asString()) != null
                || response.header(HttpHeader.LAST_MODIFIED.asString()) != null;
    }

    private static CacheControl directives(ObjectMeta response) {
        return CacheControl.parse(HeaderFields.values(response.headers(), HttpHeader.CACHE_CONTROL.asString()));
    }

    // The age the response already had when it arrived: the larger of what its Date implies and
    // what upstream caches claimed in Age plus the time the request took.
    private static Duration correctedInitialAge(ObjectMeta response) {
        Duration apparentAge = nonNegative(Duration.between(dateValue(response), response.responseTime()));
        Duration responseDelay = nonNegative(Duration.between(response.requestTime(), response.responseTime()));
        Duration correctedAgeValue = Duration.ofSeconds(ageValue(response)).plus(responseDelay);
        return apparentAge.compareTo(correctedAgeValue) >= 0 ? apparentAge : correctedAgeValue;
    }

    // A response without a usable Date is dated when it was received (RFC 9110 §6.6.1).
    private static Instant dateValue(ObjectMeta response) {
        return HeaderFields.parseDate(response.header(HttpHeader.DATE.asString())).orElse(response.responseTime());
    }

    private static long ageValue(ObjectMeta response) {
        String age = response.header(HttpHeader.AGE.asString());
        return age == null ? 0 : CacheControl.deltaSeconds(age);
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
