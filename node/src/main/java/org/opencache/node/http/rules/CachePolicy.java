package org.opencache.node.http.rules;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.opencache.common.config.ResponseRulesConfig;
import org.opencache.node.store.ObjectMeta;

/**
 * The caching rules of one instance, free of I/O: which exchanges may use the cache, which
 * responses may be stored (RFC 9111 §3) and whether a stored one may be reused for a request
 * (§4, §4.2.4, RFC 5861). How long a response stays fresh is {@link Freshness}'s business.
 * Time comes from the injected {@link Clock}, so tests move it instead of sleeping.
 *
 * <p>Decisions worth knowing (docs/http-caching.md has them all):
 * <ul>
 *   <li>A response with no freshness left is only worth storing if it carries a validator
 *       ({@code ETag} or {@code Last-Modified}), because all it can ever do is be revalidated.</li>
 *   <li>A request {@code max-age=0} is treated like {@code no-cache} (what browsers send on
 *       reload), since ages are whole seconds and a same-second age of 0 would otherwise pass;
 *       a fresh {@code immutable} response (RFC 8246) is served despite any request
 *       {@code max-age}, and validated only for {@code no-cache}.</li>
 *   <li>A response with {@code Set-Cookie} is stored as {@code set_cookie} says
 *       ({@link ResponseRulesConfig.SetCookie}); by default only when it says it may be shared
 *       ({@code public}, {@code s-maxage} or a targeted field), and then without its {@code Set-Cookie}.</li>
 *   <li>A targeted field of the instance's list (RFC 9213, e.g. {@code CDN-Cache-Control})
 *       replaces {@code Cache-Control} and {@code Expires} ({@link TargetedFields}).</li>
 *   <li>A qualified {@code no-cache="field"} or {@code private="field"} keeps the named fields
 *       out of the store rather than the whole response (RFC 9111 §5.2.2.4, §5.2.2.7).</li>
 *   <li>{@code must-revalidate}, {@code proxy-revalidate}, {@code s-maxage} and {@code no-cache}
 *       forbid every use of a stale response (max-stale, stale-while-revalidate, stale-if-error).</li>
 *   <li>A request with {@code Authorization} is answered from the store, and fills it, only with
 *       responses that {@link #mayAnswerAuthorized may be shared} (RFC 9111 §3.5), whoever's
 *       request stored them: credentials exist to get another answer.</li>
 * </ul>
 */
public final class CachePolicy {
    /**
     * Final statuses we understand that are not heuristically cacheable: stored only with
     * explicit freshness or {@code public} (RFC 9111 §3), and reused while fresh. 5xx included:
     * an origin that gives a failure a lifetime asks caches to repeat it for that long. With
     * {@link Freshness#HEURISTIC_STATUSES}, what {@code must-understand} (§5.2.2.3) accepts.
     */
    private static final Set<Integer> EXPLICIT_ONLY_STATUSES =
            Set.of(302, 303, 307, 400, 401, 403, 406, 409, 500, 502, 503, 504);

    /**
     * Final statuses never stored, whatever the response says: RFC 9111 §3 lets a cache store any
     * final status with explicit freshness, but these describe something else than the target
     * resource, so the next request with the same key (URL and Vary) must not get them
     * (docs/http-caching.md says why, one by one): 206 (a part, not the response), 304 (it
     * updates a stored response, §4.3.4); 201, 202 and 205, which report what one request did;
     * 305, 306 (deprecated, unused) and 402 (reserved); the statuses about the request message or
     * the connection: 407, 408, 411, 412, 413, 415, 416, 417, 421, 422, 426, 505; and those of
     * other RFCs about the requester or the network: 428, 429, 431, 511.
     */
    private static final Set<Integer> NEVER_STORED = Set.of(201, 202, 205, 206, 304, 305, 306, 402, 407, 408, 411,
            412, 413, 415, 416, 417, 421, 422, 426, 428, 429, 431, 505, 511);

    /**
     * How long past its freshness a response with a validator is kept for revalidation before the
     * periodic purge may remove it; LRU eviction removes it sooner if space is short.
     */
    public static final Duration REVALIDATION_RETENTION = Duration.ofDays(1);

    private static final String SET_COOKIE = HttpHeader.SET_COOKIE.asString();
    private static final String SET_COOKIE_LOWER = HttpHeader.SET_COOKIE.lowerCaseName();

    /** Whether a stored response may be used for a request, and how. */
    public enum Reuse {
        /** Fresh and acceptable to the request: serve it. */
        FRESH,
        /** Stale, but within the request's {@code max-stale}: serve it (RFC 9111 §4.2.4). */
        STALE_ALLOWED,
        /** Stale within {@code stale-while-revalidate}: serve it and revalidate in the background. */
        STALE_WHILE_REVALIDATE,
        /** Stale: validate with the origin first. */
        VALIDATE_STALE,
        /** The request's directives refuse it without validation. */
        VALIDATE_REQUEST
    }

    private final Freshness freshness;
    private final TargetedFields targeted;
    private final ResponseRulesConfig.SetCookie setCookie;
    private final boolean authorizedUseCache;

    /**
     * @param clock   the time source for ages and freshness
     * @param horizon the freshness lifetime of responses that state none; zero for the heuristic
     */
    public CachePolicy(Clock clock, Duration horizon) {
        this(clock, Freshness.fixed(horizon));
    }

    /**
     * @param clock   the time source for ages and freshness
     * @param horizon the freshness lifetime of responses that state none; zero for the heuristic
     * @param rules   the node's targeted fields and {@code set_cookie}
     */
    public CachePolicy(Clock clock, Duration horizon, ResponseRulesConfig rules) {
        this(clock, Freshness.fixed(horizon), rules);
    }

    /**
     * @param clock   the time source for ages and freshness
     * @param horizon the current freshness lifetime of responses that state none, read on every
     *                use (an instance's horizon changes in place on a new {@code start}); zero for
     *                the heuristic
     */
    public CachePolicy(Clock clock, Supplier<Duration> horizon) {
        this(clock, horizon, ResponseRulesConfig.defaults());
    }

    /**
     * @param clock   the time source for ages and freshness
     * @param horizon the current freshness lifetime of responses that state none, read on every use
     * @param rules   the node's targeted fields ({@code targeted_cache_control},
     *                {@code targeted_cache_control_forward}), {@code set_cookie} and whether
     *                requests with {@code Authorization} use the cache as RFC 9111 §3.5 allows
     *                ({@code cache_authorized}) or bypass it
     */
    public CachePolicy(Clock clock, Supplier<Duration> horizon, ResponseRulesConfig rules) {
        this.freshness = new Freshness(clock, horizon);
        this.targeted = new TargetedFields(rules.targetedFields(), rules.forwardTargeted());
        this.setCookie = rules.setCookie();
        this.authorizedUseCache = rules.cacheAuthorized();
    }

    /** The current instant of the injected clock. */
    public Instant now() {
        return freshness.now();
    }

    /**
     * Whether a request may be answered from, and fill, the cache at all: GET and HEAD only; with
     * credentials only when the operator lets them (RFC 9111 §3.5 then decides, see
     * {@link #mayStore(CacheControl, boolean, ObjectMeta)} and {@link #mayAnswerAuthorized}).
     */
    public boolean mayUseCache(String method, boolean hasAuthorization) {
        return (method.equals("GET") || method.equals("HEAD")) && (!hasAuthorization || authorizedUseCache);
    }

    /**
     * Whether a response may be stored for, and reused by anyone after, a request with
     * {@code Authorization} (RFC 9111 §3.5): only when the origin said a shared cache may keep it,
     * with {@code public}, {@code s-maxage} or {@code must-revalidate}. The stale-use limits of
     * the last two ({@link #mustRevalidate}) are kept on every reuse. Never a 401 or 403: they
     * judge the credentials of the request they answer (RFC 9110 §15.5.2, §15.5.4), and would
     * lock out the next user's.
     */
    public static boolean mayAnswerAuthorized(ObjectMeta response) {
        CacheControl directives = Freshness.directives(response);
        return response.status() != 401 && response.status() != 403
                && (directives.has("public") || directives.has("s-maxage") || directives.has("must-revalidate"));
    }

    /**
     * {@link #mayStore(CacheControl, ObjectMeta)} for a request that may carry credentials: a
     * response to a request with {@code Authorization} also needs {@link #mayAnswerAuthorized}.
     */
    public boolean mayStore(CacheControl request, boolean authorized, ObjectMeta response) {
        return mayStore(request, response) && (!authorized || mayAnswerAuthorized(response));
    }

    /** Whether we understand a final status well enough to store a response with it (§3, §5.2.2.3). */
    static boolean isUnderstoodStatus(int status) {
        return Freshness.HEURISTIC_STATUSES.contains(status) || EXPLICIT_ONLY_STATUSES.contains(status);
    }

    /**
     * Whether a response with this status may be stored at all (RFC 9111 §3): a final status not
     * {@link #NEVER_STORED}. One we do not know is treated as its class's x00 (RFC 9110 §15: 299
     * as 200, 599 as 500) and, not being heuristically cacheable, needs explicit freshness (or
     * {@code public}); §3 asks a cache to understand the status only for 206, 304 and
     * {@code must-understand}.
     */
    static boolean isStorableStatus(int status) {
        return status >= 200 && status <= 599 && !NEVER_STORED.contains(status);
    }

    /**
     * Whether a response to a GET may be stored (RFC 9111 §3): a storable status (those not
     * heuristically cacheable with explicit freshness or {@code public}), no {@code no-store} on
     * either side unless {@code must-understand} overrides it, not {@code private} (a qualified
     * one only keeps its fields out), not {@code Vary: *}, a {@code Set-Cookie} only as
     * {@code set_cookie} allows, and either some freshness or a validator.
     */
    public boolean mayStore(CacheControl request, ObjectMeta response) {
        CacheControl directives = Freshness.directives(response);
        int status = response.status();
        // §5.2.2.3: must-understand makes a cache that understands the status ignore no-store, and
        // one that does not refuse the response, whatever else (explicit freshness, public) it says.
        if (directives.has("must-understand") && !isUnderstoodStatus(status)) {
            return false;
        }
        boolean noStore = directives.has("no-store") && !directives.has("must-understand");
        if (!isStorableStatus(status) || request.has("no-store") || noStore || directives.unqualified("private")
                || CacheKeys.varyNames(response.headers()).contains("*") || !cookieAllowsStoring(response)) {
            return false;
        }
        if (!Freshness.isHeuristicallyCacheable(response) && freshness.explicitLifetime(response).isEmpty()) {
            return false;
        }
        return freshnessLifetime(response).isPositive() || hasValidator(response);
    }

    // set_cookie: pass never stores a response with Set-Cookie; strip only one shared on purpose
    // (public, s-maxage, a targeted field, which speaks to shared caches only, or a qualified
    // no-cache or private that names Set-Cookie, so the origin has thought about it).
    private boolean cookieAllowsStoring(ObjectMeta response) {
        if (response.header(SET_COOKIE) == null || setCookie == ResponseRulesConfig.SetCookie.STORE) {
            return true;
        }
        if (setCookie == ResponseRulesConfig.SetCookie.PASS) {
            return false;
        }
        CacheControl directives = Freshness.directives(response);
        return directives.has("public") || directives.has("s-maxage") || TargetedFields.governs(response.headers())
                || directives.fieldNames("private").contains(SET_COOKIE_LOWER)
                || directives.fieldNames("no-cache").contains(SET_COOKIE_LOWER);
    }

    /**
     * Whether a response to a POST may be stored to answer later GETs of the same target
     * (RFC 9110 §9.3.3, RFC 9111 §4): a 2xx whose {@code Content-Location} names the POST's own
     * target URI, which makes its content the target's current representation (RFC 9110 §8.7),
     * with explicit freshness (no heuristic for POST, §9.3.3), storable as a GET's would be
     * ({@link #mayStore(CacheControl, boolean, ObjectMeta)}), and credentials allowed to use the cache.
     *
     * @param namesTarget whether the response's {@code Content-Location} resolves to the POST's
     *                    target: same scheme, host, port, path and query (the caller resolves it)
     */
    public boolean mayStorePostResponse(CacheControl request, boolean authorized, ObjectMeta response,
            boolean namesTarget) {
        return namesTarget && response.status() >= 200 && response.status() < 300
                && mayUseCache("GET", authorized) && freshness.explicitLifetime(response).isPresent()
                && mayStore(request, authorized, response);
    }

    /** The freshness lifetime (RFC 9111 §4.2.1), explicit or heuristic. */
    Duration freshnessLifetime(ObjectMeta response) {
        return freshness.lifetime(response);
    }

    /** The response's current age (RFC 9111 §4.2.3), never negative. */
    public Duration currentAge(ObjectMeta response) {
        return freshness.currentAge(response);
    }

    /** Whether the response is fresh now: its lifetime exceeds its age. */
    public boolean isFresh(ObjectMeta response) {
        return freshness.staleness(response).isNegative();
    }

    /** Whether a stored response may serve a request as it is, and if not, why (§4, §4.2.4). */
    public Reuse reuse(CacheControl request, boolean pragmaNoCache, ObjectMeta stored) {
        if (requestDemandsValidation(request, pragmaNoCache, stored)) {
            return Reuse.VALIDATE_REQUEST;
        }
        Duration staleness = freshness.staleness(stored);
        if (staleness.isNegative()) {
            OptionalLong minFresh = request.seconds("min-fresh");
            boolean freshEnough = minFresh.isEmpty() || staleness.negated().getSeconds() >= minFresh.getAsLong();
            return freshEnough ? Reuse.FRESH : Reuse.VALIDATE_REQUEST;
        }
        if (mustRevalidate(stored)) {
            return Reuse.VALIDATE_STALE;
        }
        // A max-stale without a value accepts any staleness (§5.2.1.2).
        if (request.has("max-stale") && (request.directives().get("max-stale").isEmpty()
                || staleness.getSeconds() <= request.seconds("max-stale").getAsLong())) {
            return Reuse.STALE_ALLOWED;
        }
        if (within(staleness, Freshness.directives(stored).seconds("stale-while-revalidate"))) {
            return Reuse.STALE_WHILE_REVALIDATE;
        }
        return Reuse.VALIDATE_STALE;
    }

    /**
     * Whether a stale response may stand in for an origin that failed or answered 500, 502, 503
     * or 504 (RFC 5861 §4): within the {@code stale-if-error} of the response or the request,
     * and never when it must be revalidated.
     */
    public boolean mayServeStaleOnError(CacheControl request, ObjectMeta stored) {
        if (mustRevalidate(stored)) {
            return false;
        }
        Duration staleness = freshness.staleness(stored);
        return within(staleness, Freshness.directives(stored).seconds("stale-if-error"))
                || within(staleness, request.seconds("stale-if-error"));
    }

    /**
     * Whether the request refuses a stored response without validation, even a fresh one:
     * {@code no-cache}, {@code max-age=0}, a {@code max-age} the response's age exceeds, or
     * HTTP/1.0 {@code Pragma: no-cache} when there is no {@code Cache-Control}. A fresh
     * {@code immutable} response (RFC 8246) yields only to {@code no-cache} and {@code Pragma}.
     */
    boolean requestDemandsValidation(CacheControl request, boolean pragmaNoCache, ObjectMeta response) {
        if (request.has("no-cache") || (pragmaNoCache && request.directives().isEmpty())) {
            return true;
        }
        OptionalLong maxAge = request.seconds("max-age");
        if (maxAge.isEmpty()) {
            return false;
        }
        // RFC 8246 §2.1: a proxy skips revalidating a fresh immutable response unless the client
        // signals that validation is necessary, e.g. no-cache (a force reload). A max-age, 0 being
        // what a plain reload sends, only asks for a younger copy of what cannot have changed.
        // A stale one is revalidated as if immutable were absent (§2.1), so this needs it fresh.
        if (Freshness.directives(response).has("immutable") && isFresh(response)) {
            return false;
        }
        return maxAge.getAsLong() == 0 || currentAge(response).getSeconds() > maxAge.getAsLong();
    }

    /**
     * The metadata to store for a response. Its {@code expires} is when the store's purge may
     * remove it: when it turns stale, or later if it can still be used after that (a validator
     * to revalidate with, {@code stale-while-revalidate}, {@code stale-if-error}). Its fields
     * record which targeted field governs it ({@link TargetedFields}).
     */
    public ObjectMeta describe(int status, List<Map.Entry<String, String>> received, Instant requestTime,
            Instant responseTime, long bodyLength) {
        List<Map.Entry<String, String>> headers = targeted.annotate(received);
        ObjectMeta meta = new ObjectMeta(status, headers, requestTime, responseTime, responseTime, bodyLength);
        Duration kept = hasValidator(meta) ? REVALIDATION_RETENTION : Duration.ZERO;
        CacheControl directives = Freshness.directives(meta);
        for (String staleUse : List.of("stale-while-revalidate", "stale-if-error")) {
            Duration window = Duration.ofSeconds(directives.seconds(staleUse).orElse(0));
            kept = window.compareTo(kept) > 0 ? window : kept;
        }
        return new ObjectMeta(status, headers, requestTime, responseTime, freshness.staleAt(meta).plus(kept),
                bodyLength);
    }

    /** A stored response's metadata freshened with a newer response's fields (§3.2, §4.3.4). */
    public ObjectMeta freshened(ObjectMeta old, HttpFields fields, Instant requestTime, Instant responseTime) {
        return shared(describe(old.status(), HeaderFields.freshen(old.headers(), fields), requestTime, responseTime,
                old.bodyLength()));
    }

    /**
     * The form of a storable response that is stored: without {@code Set-Cookie}, which belongs
     * to the one client whose request filled the cache (unless {@code set_cookie = store}), and
     * without the fields a qualified {@code no-cache} or {@code private} names (RFC 9111
     * §5.2.2.4: not to be reused without revalidation; §5.2.2.7: not to be stored by a shared
     * cache). The fields of the target list are kept whatever those name: the cache reads them.
     */
    public ObjectMeta shared(ObjectMeta response) {
        CacheControl directives = Freshness.directives(response);
        Set<String> dropped = new HashSet<>(directives.fieldNames("no-cache"));
        dropped.addAll(directives.fieldNames("private"));
        if (setCookie != ResponseRulesConfig.SetCookie.STORE) {
            dropped.add(SET_COOKIE_LOWER);
        }
        List<Map.Entry<String, String>> kept = response.headers().stream()
                .filter(field -> !drops(dropped, field.getKey())).toList();
        if (kept.size() == response.headers().size()) {
            return response;
        }
        return new ObjectMeta(response.status(), kept, response.requestTime(), response.responseTime(),
                response.expires(), response.bodyLength());
    }

    // Internal entries and the target list's fields are never dropped: the cache's own decisions read them.
    private boolean drops(Set<String> dropped, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return dropped.contains(lower) && !CacheKeys.isInternal(name) && !targeted.listed(lower);
    }

    /**
     * A response's fields as a client is sent them, when they come from the origin (a miss or a
     * relayed request): without the target list's fields unless {@code targeted_cache_control_forward}.
     */
    public HttpFields toClient(HttpFields originFields) {
        return targeted.toClient(originFields);
    }

    /**
     * Adds to a request for the origin what announces this cache to it: the
     * {@code Surrogate-Capability} member when {@code Surrogate-Control} is a targeted field.
     */
    public void announce(HttpFields.Mutable originFields) {
        targeted.announce(originFields);
    }

    /** Whether the response can be validated: it has an {@code ETag} or a {@code Last-Modified}. */
    public static boolean hasValidator(ObjectMeta response) {
        return response.header(HttpHeader.ETAG.asString()) != null
                || response.header(HttpHeader.LAST_MODIFIED.asString()) != null;
    }

    /**
     * Whether a stale response must never be used without a successful revalidation: RFC 9111
     * §5.2.2.2, §5.2.2.8, §5.2.2.10 (s-maxage implies proxy-revalidate), §5.2.2.4.
     */
    public static boolean mustRevalidate(ObjectMeta stored) {
        CacheControl directives = Freshness.directives(stored);
        return directives.has("must-revalidate") || directives.has("proxy-revalidate")
                || directives.has("s-maxage") || directives.unqualified("no-cache");
    }

    private static boolean within(Duration staleness, OptionalLong window) {
        return window.isPresent() && staleness.getSeconds() <= window.getAsLong();
    }
}
