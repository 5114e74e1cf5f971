package org.opencache.node.http.fill;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.opencache.node.http.origin.OriginClient;
import org.opencache.node.http.origin.OriginExchange;
import org.opencache.node.http.rules.CacheKeys;
import org.opencache.node.http.rules.CachePolicy;
import org.opencache.node.http.rules.CacheStatus;
import org.opencache.node.http.rules.Variants;
import org.opencache.node.store.ObjectMeta;
import org.opencache.node.store.ObjectStore;
import org.opencache.node.store.StoreKey;
import org.opencache.node.store.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers cacheable GETs from the store when it can and from one collapsed origin fetch when it
 * cannot; shared by the cache handler and the pre-fetcher, so both store and look up alike.
 *
 * <p>Collapsing: the first request that needs the origin for a key leads a {@link Fill}; the
 * others follow, waiting (at most the origin response timeout) for it to land. A follower whose
 * leader stored the object is served from the store as a hit; one whose leader did not (not
 * storable, a failure, a different variant) or who waited too long fetches on its own.
 */
public final class CacheFiller {
    private static final Logger LOG = LoggerFactory.getLogger(CacheFiller.class);

    /** How a request stands with the store. */
    public enum State {
        /** A stored response may be sent as it is. */
        USABLE,
        /** A stale response may be sent, and is revalidated in the background (RFC 5861 §3). */
        USABLE_WHILE_REVALIDATING,
        /** A stored response exists but must be validated with the origin first. */
        VALIDATE,
        /** Nothing usable is stored. */
        ABSENT
    }

    /**
     * The result of a lookup.
     *
     * @param state  how the request stands
     * @param key    where the object is stored, or would be looked for (a variant's own key)
     * @param object the stored object (all but ABSENT), else null
     * @param reason the RFC 9211 {@code fwd} reason when the origin is needed, else null
     */
    public record Found(State state, StoreKey key, StoredObject object, String reason) {
    }

    private final ObjectStore store;
    private final CachePolicy policy;
    private final OriginClient origins;
    private final Clock clock;
    private final Collapser collapser = new Collapser();
    private final Variants variants;
    private final PartialResponses partials;

    public CacheFiller(ObjectStore store, CachePolicy policy, OriginClient origins, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.origins = origins;
        this.clock = clock;
        this.variants = new Variants(store);
        this.partials = new PartialResponses(store, policy);
    }

    /** What the store holds for the request and whether it may be used. */
    public Found lookup(CacheableRequest request) {
        Variants.Located located;
        try {
            located = variants.find(request.key(), request.target()::fields);
        } catch (RuntimeException e) {
            // Fail open: a broken store turns hits into misses, never into errors.
            LOG.warn("lookup of {} failed: {}", request.key(), e.toString());
            located = new Variants.Located(request.key(), null, false);
        }
        StoredObject object = located.object();
        StoreKey key = located.key();
        if (object == null) {
            return new Found(State.ABSENT, key, null, located.varyMiss() ? "vary-miss" : "miss");
        }
        // RFC 9111 §3.5: credentials may get another answer (a 200 where the stored one is a 401, or
        // the user's own); only a response the origin let a shared cache keep for them answers them.
        // The origin's answer then replaces the stored one only if it is such a response too.
        if (request.authorized() && !CachePolicy.mayAnswerAuthorized(object.meta())) {
            return new Found(State.ABSENT, key, null, "request");
        }
        return switch (policy.reuse(request.directives(), request.pragmaNoCache(), object.meta())) {
            case FRESH, STALE_ALLOWED -> new Found(State.USABLE, key, object, null);
            case STALE_WHILE_REVALIDATE -> new Found(State.USABLE_WHILE_REVALIDATING, key, object, "stale");
            case VALIDATE_STALE -> new Found(State.VALIDATE, key, object, "stale");
            case VALIDATE_REQUEST -> new Found(State.VALIDATE, key, object, "request");
        };
    }

    /**
     * What the store holds for a GET: as {@link #lookup}, and when nothing is stored under the
     * URL, the stored parts that cover the request's range (RFC 9111 §3.3).
     */
    public Found lookupGet(CacheableRequest request) {
        Found found = lookup(request);
        if (found.state() != State.ABSENT) {
            return found;
        }
        Optional<StoredObject> parts;
        try {
            parts = partials.covering(request, request.target().fields());
        } catch (RuntimeException e) {
            LOG.warn("lookup of the parts of {} failed: {}", request.key(), e.toString());
            parts = Optional.empty();
        }
        // §3.5: credentials are answered only by parts that may be shared with them.
        return parts.filter(object -> !request.authorized() || CachePolicy.mayAnswerAuthorized(object.meta()))
                .map(object -> new Found(State.USABLE, CacheKeys.partsKey(request.key()), object, null))
                .orElse(found);
    }

    /**
     * The origin listener of a relayed POST to {@code request}'s target: its response goes to the
     * recipient and is stored for later GETs when it may be (RFC 9110 §9.3.3); never collapsed.
     */
    public OriginExchange.Listener post(CacheableRequest request, Recipient recipient) {
        return Fill.forPost(store, policy, request, partials, recipient);
    }

    /** Answers a GET: a hit if the store allows, else through the (collapsed) origin. */
    public void serve(CacheableRequest request, Recipient recipient) {
        Found found = lookupGet(request);
        if (found.state() == State.USABLE) {
            recipient.serveStored(found.object(), CacheStatus.hit());
            return;
        }
        if (found.state() == State.USABLE_WHILE_REVALIDATING) {
            recipient.serveStored(found.object(), CacheStatus.hit().detail("stale-while-revalidate"));
            revalidateInBackground(request, found);
            return;
        }
        Collapser.Flight flight = collapser.join(request.key());
        if (!flight.leader()) {
            follow(request, flight, policy.now(), recipient);
            return;
        }
        // The previous leader may have landed between our lookup and our join.
        Found again = lookupGet(request);
        if (again.state() == State.USABLE) {
            collapser.land(flight, Landing.STORED);
            recipient.serveStored(again.object(), CacheStatus.hit());
            return;
        }
        fetch(request, again, recipient, landing -> collapser.land(flight, landing));
    }

    // One background revalidation per key: if a fetch is already in flight, it will do.
    private void revalidateInBackground(CacheableRequest request, Found found) {
        Collapser.Flight flight = collapser.join(request.key());
        if (flight.leader()) {
            fetch(request, new Found(State.VALIDATE, found.key(), found.object(), found.reason()), new DiscardingRecipient(),
                    landing -> collapser.land(flight, landing));
        }
    }

    /** Requests in flight now (diagnostics and tests). */
    int inFlight() {
        return collapser.inFlight();
    }

    /** How many requests follow the flight in the air for {@code key}, waiting for it to land (diagnostics, tests). */
    public int followers(StoreKey key) {
        return collapser.followers(key);
    }

    private void follow(CacheableRequest request, Collapser.Flight flight, Instant joined, Recipient recipient) {
        flight.landed().copy()
                .completeOnTimeout(Landing.NOT_STORED, origins.responseTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .thenAcceptAsync(landing -> afterLanding(request, landing, joined, recipient), origins.executor())
                .exceptionally(failure -> {
                    LOG.warn("serving a collapsed request for {} failed", request.key(), failure);
                    recipient.fail(failure, CacheStatus.forwarded("miss"));
                    return null;
                });
    }

    private void afterLanding(CacheableRequest request, Landing landing, Instant joined, Recipient recipient) {
        StoredObject unkept = landing.unkept();
        if (unkept != null && CacheKeys.variantMatches(unkept.meta(), request.target().fields())
                && (!request.authorized() || CachePolicy.mayAnswerAuthorized(unkept.meta()))) {
            // The store did not keep the leader's response (its policy refused it, or the disk failed),
            // but it was fetched for this very request: no need for each follower to ask again.
            recipient.serveStored(unkept, CacheStatus.forwarded("miss").collapsed());
            return;
        }
        Found found = lookupGet(request);
        if (landing.stored() && found.object() != null && isLeadersObject(found.object().meta(), joined)) {
            recipient.serveStored(found.object(), CacheStatus.hit());
        } else {
            fetch(request, found, recipient, ignored -> { });
        }
    }

    // The leader's response was fetched for this very request, so it serves the followers even if
    // it has no freshness of its own (RFC 9111 §4): a 0-lifetime object would otherwise send every
    // follower to the origin.
    private boolean isLeadersObject(ObjectMeta meta, Instant joined) {
        return policy.isFresh(meta) || !meta.responseTime().isBefore(joined);
    }

    private void fetch(CacheableRequest request, Found found, Recipient recipient, Consumer<Landing> landing) {
        Fill fill = new Fill(store, policy, request, found, partials, recipient, landing);
        try {
            fill.start(origins, clock);
        } catch (RuntimeException e) {
            fill.onOriginFailure(e);
        }
    }
}
