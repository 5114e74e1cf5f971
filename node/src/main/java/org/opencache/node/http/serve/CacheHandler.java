package org.opencache.node.http.serve;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.HostPort;
import org.opencache.common.config.AddressRange;
import org.opencache.common.config.ResponseRulesConfig;
import org.opencache.common.expr.Expression;
import org.opencache.node.http.fill.CacheFiller;
import org.opencache.node.http.fill.CacheableRequest;
import org.opencache.node.http.fill.Prefetcher;
import org.opencache.node.http.fill.StoreUpdates;
import org.opencache.node.http.origin.OriginClient;
import org.opencache.node.http.origin.OriginExchange;
import org.opencache.node.http.origin.OriginTarget;
import org.opencache.node.http.rules.CacheControl;
import org.opencache.node.http.rules.CacheKeys;
import org.opencache.node.http.rules.CachePolicy;
import org.opencache.node.http.rules.CacheStatus;
import org.opencache.node.http.rules.HeaderFields;
import org.opencache.node.http.rules.OriginAccess;
import org.opencache.node.http.rules.Preconditions;
import org.opencache.node.http.rules.Purges;
import org.opencache.node.stats.InstanceCounters;
import org.opencache.node.store.ObjectStore;
import org.opencache.node.store.StoreKey;

/**
 * The HTTP cache of one instance (docs/design.md §6): a transparent/reverse proxy in front of the
 * origin its {@link Expression} names, or, for {@code *}, in front of whatever host the request's
 * {@code Host} field names (port 80 unless it says otherwise).
 *
 * <h2>Request flow</h2>
 * The clientToProxyRequest is sorted into one of these, each answered with an RFC 9211
 * {@code Cache-Status}:
 * <ul>
 *   <li>{@code PURGE} → the URL's stored variants dropped, for clients in {@code purge_allow}
 *       ({@link #purge}); never relayed;</li>
 *   <li>outside the expression (its path prefix, or another host) → relayed uncached
 *       ({@code fwd=bypass});</li>
 *   <li>a method other than GET and HEAD → relayed ({@code fwd=method}); if it is unsafe and
 *       succeeds, the stored responses for its URL and same-origin {@code Location} and
 *       {@code Content-Location} are removed ({@link StoreUpdates}); a POST's response that names
 *       its own target in {@code Content-Location}, with explicit freshness, is then stored for
 *       later GETs ({@link CacheFiller#post});</li>
 *   <li>a request with {@code If-Match} or {@code If-Unmodified-Since}, or with
 *       {@code Authorization} when the node's {@code cache_authorized} is false →
 *       relayed uncached ({@code fwd=bypass}); otherwise {@code Authorization} is answered from
 *       and fills the store only with responses RFC 9111 §3.5 lets a shared cache keep;</li>
 *   <li>{@code only-if-cached} → a usable stored response, else 504;</li>
 *   <li>a HEAD → answered from a stored GET if one is usable, else relayed as HEAD, whose
 *       response updates the stored GET;</li>
 *   <li>a GET → a hit from the store, or one collapsed origin fetch that streams to the client
 *       while it is stored ({@link CacheFiller}).</li>
 * </ul>
 * The rules (what is stored, for how long) live in {@link CachePolicy}, the keys in
 * {@link CacheKeys}, the origin exchange in {@link OriginExchange}, and the proxyToClientResponse
 * in {@link ClientResponder}, which also counts every response once in the
 * {@link InstanceCounters}: a hit when the body came from the store, a miss when the origin was
 * asked.
 *
 * <p>Every origin request of the instance carries its {@link OriginAccess}: under {@code *} a
 * client could otherwise name {@code localhost} or a metadata address in {@code Host}. A refused
 * address is answered 403 with {@code Cache-Status: OpenCache; fwd=…; detail=origin-loopback}
 * (or another {@code origin-…} token), and the origin is never contacted.
 */
public final class CacheHandler extends Handler.Abstract {
    /** The method that drops a URL's stored variants ({@link #purge}). */
    private static final String PURGE = "PURGE";
    private final Expression expression;
    private final String instance;
    private final ObjectStore store;
    private final OriginClient origins;
    private final InstanceCounters counters;
    private final Clock clock;
    private final CachePolicy policy;
    private final CacheFiller filler;
    private final StoreUpdates updates;
    private final String originAuthority;
    private final OriginAccess access;
    private final List<AddressRange> purgeAllow;

    /**
     * Creates the cache of one instance; it serves once added to a started Jetty server.
     *
     * @param expression the instance's expression: its origin and what it caches
     * @param store      the node's object store, shared by all instances
     * @param origins    the node's origin client, shared by all instances
     * @param counters   this instance's counters
     * @param horizon    the freshness lifetime of responses that state none; zero for none
     * @param clock      the time source for ages and freshness
     * @param access     which origin addresses the instance may reach
     *                   ({@link OriginAccess#forInstance}); a refused one is answered 403
     */
    public CacheHandler(Expression expression, ObjectStore store, OriginClient origins, InstanceCounters counters,
            Duration horizon, Clock clock, OriginAccess access) {
        this(expression, store, origins, counters, () -> horizon, clock, access);
    }

    /**
     * Creates the cache of one instance whose horizon may change while it serves.
     *
     * @param horizon the current freshness lifetime of responses that state none, read on every
     *                use, so a {@code start} with a new horizon applies without closing the port
     * @see #CacheHandler(Expression, ObjectStore, OriginClient, InstanceCounters, Duration, Clock, OriginAccess)
     */
    public CacheHandler(Expression expression, ObjectStore store, OriginClient origins, InstanceCounters counters,
            Supplier<Duration> horizon, Clock clock, OriginAccess access) {
        this(expression, store, origins, counters, horizon, clock, access, List.of());
    }

    /**
     * Creates the cache of one instance that also answers {@code PURGE}.
     *
     * @param purgeAllow the client addresses that may {@code PURGE} ({@code purge_allow}); empty: none
     * @see #CacheHandler(Expression, ObjectStore, OriginClient, InstanceCounters, Supplier, Clock, OriginAccess)
     */
    public CacheHandler(Expression expression, ObjectStore store, OriginClient origins, InstanceCounters counters,
            Supplier<Duration> horizon, Clock clock, OriginAccess access, List<AddressRange> purgeAllow) {
        this(expression, store, origins, counters, horizon, clock, access, purgeAllow, ResponseRulesConfig.defaults());
    }

    /**
     * Creates the cache of one instance with the node's rules for targeted fields and {@code Set-Cookie}.
     *
     * @param rules {@code targeted_cache_control}, {@code targeted_cache_control_forward} and {@code set_cookie}
     * @see #CacheHandler(Expression, ObjectStore, OriginClient, InstanceCounters, Supplier, Clock, OriginAccess, List)
     */
    public CacheHandler(Expression expression, ObjectStore store, OriginClient origins, InstanceCounters counters,
            Supplier<Duration> horizon, Clock clock, OriginAccess access, List<AddressRange> purgeAllow,
            ResponseRulesConfig rules) {
        this.purgeAllow = List.copyOf(purgeAllow);
        this.expression = Objects.requireNonNull(expression, "expression");
        this.instance = expression.canonical();
        this.store = Objects.requireNonNull(store, "store");
        this.origins = Objects.requireNonNull(origins, "origins");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.access = Objects.requireNonNull(access, "access");
        this.policy = new CachePolicy(clock, horizon, rules);
        String originHost = expression.host().contains(":") && !expression.host().startsWith("[")
                ? "[" + expression.host() + "]" : expression.host();
        this.originAuthority = expression.port() == 80 ? originHost : originHost + ":" + expression.port();
        this.filler = new CacheFiller(store, policy, origins, clock);
        this.updates = new StoreUpdates(store, policy, instance);
    }

    /** The pre-fetcher of this instance, sharing its store, keys and request collapsing. */
    public Prefetcher prefetcher() {
        return new Prefetcher(expression, store, filler, access);
    }

    /** How many requests for {@code key} follow a flight to the origin now, waiting for it to land (tests). */
    int followers(StoreKey key) {
        return filler.followers(key);
    }

    /** Answers every request; the callback completes when the response has been sent or aborted. */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        boolean head = HttpMethod.HEAD.is(method);
        ClientResponder responder = new ClientResponder(response, callback, head,
                // Conditionals are only the cache's to answer for GET and HEAD; a PUT's
                // If-None-Match: * is the origin's alone.
                head || HttpMethod.GET.is(method) ? request.getHeaders() : HttpFields.EMPTY, counters, policy);
        HostPort authority = authority(request);
        String pathAndQuery = request.getHttpURI().getPathQuery();
        if (authority == null || pathAndQuery == null || !pathAndQuery.startsWith("/")) {
            responder.refuse(HttpStatus.BAD_REQUEST_400, "missing-host",
                    "the request needs a Host field and an origin-form target (/path)");
            return true;
        }
        if (HeaderFields.cameThroughUs(request.getHeaders())) {
            responder.refuse(HttpStatus.LOOP_DETECTED_508, "loop",
                    "the request has already passed through OpenCache (Via); its Host leads back to a cache");
            return true;
        }
        String host = authority.getHost();
        int port = authority.getPort(80);
        if (PURGE.equals(method)) {
            purge(request, response, callback, responder, host, port, pathAndQuery);
            return true;
        }
        HttpFields clientFields = request.getHeaders();
        // Built only when the origin is asked: a hit needs neither the fields nor the address.
        OriginTarget target = OriginTarget.lazy(expression.isWildcard() ? host : expression.host(),
                expression.isWildcard() ? port : expression.port(), pathAndQuery,
                () -> forwardedFields(clientFields, Request.getRemoteAddr(request)), access);
        StoreKey key = CacheKeys.key(instance, target.host(), target.port(), pathAndQuery);
        // The origin is what the client asked for only under '*'; otherwise it is the expression's,
        // whatever Host the client sent (reverse proxy on the instance port, or redirected traffic).
        if (!expression.covers(target.host(), target.port(), pathAndQuery)) {
            relay(request, target, responder, CacheStatus.forwarded("bypass"), null);
        } else if (HttpMethod.POST.is(method)) {
            // RFC 9111 §4.4 first: the POST invalidates its target, then its response may be stored
            // for later GETs of it (RFC 9110 §9.3.3; CachePolicy.mayStorePostResponse says when).
            PassThrough.Observer invalidate = (status, originFields, sent, received) ->
                    updates.afterUnsafe(target, status, originFields);
            try {
                PassThrough.relay(origins, clock, request, target, filler.post(cacheable(key, target, clientFields),
                        responder), invalidate);
            } catch (RuntimeException e) {
                responder.fail(e, CacheStatus.forwarded("method"));
            }
        } else if (!HttpMethod.GET.is(method) && !head) {
            relay(request, target, responder, CacheStatus.forwarded("method"),
                    isSafe(method) ? null : (status, originFields, sent, received) ->
                            updates.afterUnsafe(target, status, originFields));
        } else if (!policy.mayUseCache(method, clientFields.contains(HttpHeader.AUTHORIZATION))
                || Preconditions.forOrigin(clientFields)) {
            relay(request, target, responder, CacheStatus.forwarded("bypass"), null);
        } else {
            CacheableRequest cacheable = cacheable(key, target, clientFields);
            if (cacheable.directives().has("only-if-cached")) {
                onlyIfCached(cacheable, head, responder);
            } else if (head) {
                headFromStore(request, cacheable, responder);
            } else {
                filler.serve(cacheable, responder);
            }
        }
        return true;
    }

    /**
     * {@code PURGE /path} with {@code Host} (Squid's, Varnish's): drops every stored variant of the
     * URL from this instance, if the client's address is in {@code purge_allow}. 200 with the
     * count when something was stored, 404 when nothing was (as Squid), 403 for anyone else.
     */
    private void purge(Request request, Response response, Callback callback, ClientResponder responder,
            String host, int port, String pathAndQuery) {
        InetAddress client = request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress inet
                ? inet.getAddress() : null;
        if (purgeAllow.isEmpty() || client == null || purgeAllow.stream().noneMatch(range -> range.contains(client))) {
            responder.refuse(HttpStatus.FORBIDDEN_403, "purge-denied", purgeAllow.isEmpty()
                    ? "PURGE is not enabled on this node (purge_allow is empty)"
                    : "PURGE is allowed only from purge_allow, not from " + Request.getRemoteAddr(request));
            return;
        }
        String originHost = expression.isWildcard() ? host : expression.host();
        int originPort = expression.isWildcard() ? port : expression.port();
        int dropped = Purges.purge(store, CacheKeys.key(instance, originHost, originPort, pathAndQuery));
        int status = dropped > 0 ? HttpStatus.OK_200 : HttpStatus.NOT_FOUND_404;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json")
                .put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, "{\"purged\": " + dropped + "}\n", callback);
    }

    private static CacheableRequest cacheable(StoreKey key, OriginTarget target, HttpFields clientFields) {
        return new CacheableRequest(key, target,
                CacheControl.parse(clientFields.getValuesList(HttpHeader.CACHE_CONTROL)),
                clientFields.contains(HttpHeader.PRAGMA) && clientFields.getCSV(HttpHeader.PRAGMA, false).stream()
                        .anyMatch("no-cache"::equalsIgnoreCase),
                clientFields.contains(HttpHeader.AUTHORIZATION));
    }

    // A HEAD never fills the store (it has no body to store), but is answered from a stored GET,
    // and its response updates that GET's fields (RFC 9111 §4.3.5).
    private void headFromStore(Request request, CacheableRequest cacheable, ClientResponder responder) {
        CacheFiller.Found found = filler.lookup(cacheable);
        if (found.state() == CacheFiller.State.USABLE) {
            responder.serveStored(found.object(), CacheStatus.hit());
        } else {
            // A HEAD with credentials may be answered as that user: it does not update what everyone shares.
            relay(request, cacheable.target(), responder, CacheStatus.forwarded(found.reason()),
                    cacheable.authorized() ? null : (status, originFields, sent, received) -> updates.afterHead(
                            found.key(), found.object(), status, originFields, sent, received));
        }
    }

    // RFC 9111 §5.2.1.7: only a stored response that needs no validation, else 504. A GET's
    // range may be answered from stored parts (§3.3); a HEAD's never is.
    private void onlyIfCached(CacheableRequest cacheable, boolean head, ClientResponder responder) {
        CacheFiller.Found found = head ? filler.lookup(cacheable) : filler.lookupGet(cacheable);
        if (found.state() == CacheFiller.State.USABLE) {
            responder.serveStored(found.object(), CacheStatus.hit());
        } else {
            responder.refuse(HttpStatus.GATEWAY_TIMEOUT_504, "only-if-cached",
                    "the request accepts only a stored response, and none is usable without the origin");
        }
    }

    private void relay(Request request, OriginTarget target, ClientResponder responder, CacheStatus cacheStatus,
            PassThrough.Observer observer) {
        try {
            PassThrough.relay(origins, clock, request, target, responder, cacheStatus, observer);
        } catch (RuntimeException e) {
            responder.fail(e, cacheStatus);
        }
    }

    // What the origin is sent: the client's end-to-end fields with our Via, X-Forwarded-For and
    // Surrogate-Capability.
    private HttpFields forwardedFields(HttpFields clientFields, String clientAddress) {
        HttpFields.Mutable forwarded = HeaderFields.forwarded(clientFields, clientAddress);
        policy.announce(forwarded);
        if (!expression.isWildcard()) {
            // The origin gets its own name whatever the client called it (e.g. the instance's address).
            forwarded.put(HttpHeader.HOST, originAuthority);
        }
        return forwarded;
    }

    // The Host field, not the connection's local address: for '*' the field is the only way to
    // know the origin, and a missing one must not make us proxy to ourselves.
    private static HostPort authority(Request request) {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null || host.isBlank()) {
            return null;
        }
        try {
            HostPort parsed = new HostPort(host.strip());
            return parsed.hasHost() ? parsed : null;
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    private static boolean isSafe(String method) {
        return HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method) || HttpMethod.OPTIONS.is(method)
                || HttpMethod.TRACE.is(method);
    }
}
