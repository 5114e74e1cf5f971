package org.opencache.node.http.fill;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.opencache.node.http.origin.OriginClient;
import org.opencache.node.http.origin.OriginExchange;
import org.opencache.node.http.origin.RevalidationFailedException;
import org.opencache.node.http.rules.CacheKeys;
import org.opencache.node.http.rules.CachePolicy;
import org.opencache.node.http.rules.CacheStatus;
import org.opencache.node.http.rules.HeaderFields;
import org.opencache.node.http.rules.Variants;
import org.opencache.node.stats.OriginTimer;
import org.opencache.node.store.ObjectMeta;
import org.opencache.node.store.ObjectStore;
import org.opencache.node.store.StoreKey;
import org.opencache.node.store.StoreRefusal;
import org.opencache.node.store.StoreWriter;
import org.opencache.node.store.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One GET to the origin on behalf of the cache: a miss that may store the response as it streams
 * to the recipient, or the revalidation of a stored object, which a 304 freshens in place.
 *
 * <p>The outcome is reported once to the landing callback ({@link Landing}: whether the store now
 * holds a usable object for the key, or a complete response it did not keep), as early as it is
 * known, so collapsed followers wait no longer than they must.
 */
public final class Fill implements OriginExchange.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Fill.class);

    private final ObjectStore store;
    private final CachePolicy policy;
    private final CacheableRequest request;
    private final StoredObject stored;
    private final StoreKey storedKey;
    private final String reason;
    private final Variants variants;
    private final PartialResponses partials;
    private final Recipient recipient;
    private final Consumer<Landing> landing;
    // A relayed POST's exchange, whose response may be stored for GETs (RFC 9110 §9.3.3).
    private final boolean post;
    private final AtomicBoolean landed = new AtomicBoolean();
    private volatile StoringSink sink;
    private volatile Variants.Placement placement;
    private volatile PartialResponses.Placement partPlacement;
    /** The stored parts this fill asked the rest of, or null. */
    private volatile PartialResponses.Completion completion;
    /** Whether a plain GET may complete stored parts; not when the completion already failed. */
    private boolean mayComplete = true;
    private volatile boolean answered;
    private volatile OriginClient origins;
    private volatile Clock clock;

    /**
     * @param found     the lookup's result: the stored object to revalidate and its key (no object
     *                  for a plain miss), and the RFC 9211 {@code fwd} reason
     * @param partials  the store's 206 parts, which a 206 joins and a complete response replaces
     * @param landing   told once how the fill ended for requests collapsed onto it
     */
    Fill(ObjectStore store, CachePolicy policy, CacheableRequest request, CacheFiller.Found found,
            PartialResponses partials, Recipient recipient, Consumer<Landing> landing) {
        this(store, policy, request, found, partials, recipient, landing, false);
    }

    private Fill(ObjectStore store, CachePolicy policy, CacheableRequest request, CacheFiller.Found found,
            PartialResponses partials, Recipient recipient, Consumer<Landing> landing, boolean post) {
        this.post = post;
        this.store = store;
        this.policy = policy;
        this.request = request;
        this.stored = found.object();
        this.storedKey = found.key();
        this.reason = found.reason();
        this.variants = new Variants(store);
        this.partials = partials;
        this.recipient = recipient;
        this.landing = landing;
    }

    /**
     * The listener of a relayed POST to {@code request}'s target (the caller sends it, with its
     * body): its response streams to the recipient and is stored under the target's key when it
     * may answer later GETs ({@link CachePolicy#mayStorePostResponse}); {@code Cache-Status}
     * says {@code fwd=method}.
     */
    static Fill forPost(ObjectStore store, CachePolicy policy, CacheableRequest request, PartialResponses partials,
            Recipient recipient) {
        return new Fill(store, policy, request, new CacheFiller.Found(CacheFiller.State.ABSENT, request.key(), null,
                "method"), partials, recipient, ignored -> { }, true);
    }

    /** Sends the proxyToOriginRequest, conditional when there is a stored object with validators. */
    void start(OriginClient originClient, Clock originClock) {
        this.origins = originClient;
        this.clock = originClock;
        HttpFields.Mutable fields = HeaderFields.withoutPreconditions(request.target().fields());
        if (stored == null && PartialResponses.forwardsRange(request.target().fields()) && !fetchWhole()) {
            // Nothing to revalidate: ask for the client's one range (RFC 9110 §14.2) and store the
            // 206 as a part (RFC 9111 §3.3) rather than fetch a representation of any size.
            // If-Range goes with it, so that the origin sends the whole if it has changed.
            for (HttpHeader name : new HttpHeader[] {HttpHeader.RANGE, HttpHeader.IF_RANGE}) {
                String value = request.target().fields().get(name);
                if (value != null) {
                    fields.put(name, value);
                }
            }
        } else if (stored == null && mayComplete && !request.target().fields().contains(HttpHeader.RANGE)) {
            // RFC 9111 §3.3: stored parts that hold a prefix are completed by a range request for
            // the rest; If-Range makes a changed representation come back whole.
            completion = completion();
            if (completion != null) {
                fields.put(HttpHeader.RANGE, completion.range());
                fields.put(HttpHeader.IF_RANGE, completion.validator());
            }
        }
        if (stored != null) {
            String etag = stored.meta().header(HttpHeader.ETAG.asString());
            String lastModified = stored.meta().header(HttpHeader.LAST_MODIFIED.asString());
            if (etag != null) {
                fields.put(HttpHeader.IF_NONE_MATCH, etag);
            }
            if (lastModified != null) {
                fields.put(HttpHeader.IF_MODIFIED_SINCE, lastModified);
            }
        }
        OriginExchange.send(origins, origins.newRequest("GET", request.target().withFields(fields)), clock, this);
    }

    @Override
    public Content.Sink onOriginResponse(Response response, Instant requestTime, Instant responseTime) {
        HttpFields fields = HeaderFields.endToEnd(response.getHeaders());
        int status = response.getStatus();
        if (status == HttpStatus.NOT_MODIFIED_304 && stored != null) {
            notModified(fields, requestTime, responseTime);
            return null;
        }
        if (isServerError(status) && serveStaleOnError(CacheStatus.forwarded(reason).fwdStatus(status))) {
            return null;
        }
        PartialResponses.Completion completing = completion;
        if (completing != null && status == HttpStatus.PARTIAL_CONTENT_206
                && !completing.completedBy(policy.describe(status, HeaderFields.toEntries(fields), requestTime,
                        responseTime, contentLength(fields)))) {
            // Not the missing bytes of the stored representation: the client asked for the whole.
            refetchUnconditionally();
            return null;
        }
        List<Map.Entry<String, String>> entries = new ArrayList<>(HeaderFields.toEntries(fields));
        entries.addAll(CacheKeys.variantEntries(entries, request.target().fields()));
        ObjectMeta meta = policy.describe(status, entries, requestTime, responseTime, contentLength(fields));
        CacheStatus cacheStatus = CacheStatus.forwarded(reason);
        if (stored != null) {
            cacheStatus = cacheStatus.fwdStatus(status);
        }
        StoreWriter writer;
        if (status == HttpStatus.PARTIAL_CONTENT_206 && !post) {
            writer = beginPart(meta);
        } else {
            writer = mayStore(meta, fields) ? begin(policy.shared(meta)) : null;
        }
        Optional<StoreRefusal> refused = writer == null ? Optional.empty() : writer.refusal();
        if (refused.isPresent()) {
            cacheStatus = cacheStatus.notStored(refused.get());
            writer = null;
        }
        if (writer == null) {
            land(Landing.NOT_STORED);
        }
        long length = meta.bodyLength();
        StoringSink tee;
        if (completing != null && status == HttpStatus.PARTIAL_CONTENT_206) {
            // The client gets the complete 200: the stored prefix, then the origin's bytes as
            // they arrive, while they are stored as the last part (RFC 9110 §15.3.7.3).
            CacheStatus completed = writer != null ? cacheStatus.storing() : cacheStatus;
            tee = new StoringSink(writer, length, completing.prefixed(recipient.startResponse(HttpStatus.OK_200,
                    completing.wholeFields(fields), completed), failure -> recipient.fail(failure, completed)),
                    this::land);
        } else if (writer != null && HeldHead.holds(length)) {
            // The head waits for the store's commit, so that Cache-Status tells what it did.
            CacheStatus forwarded = cacheStatus;
            tee = new StoringSink(writer, length, new HeldHead(length,
                    outcome -> recipient.startResponse(status, fields, outcome),
                    () -> sink.outcome(forwarded)), this::land);
        } else {
            tee = new StoringSink(writer, length, recipient.startResponse(status, fields,
                    writer != null ? cacheStatus.storing() : cacheStatus), this::land);
        }
        sink = tee;
        return tee;
    }

    /** RFC 9110 §15.2: relayed to the client whose request went to the origin; nothing of it is stored. */
    @Override
    public void onInterim(int status, HttpFields fields) {
        if (!answered) {
            recipient.interim(status, fields);
        }
    }

    private boolean mayStore(ObjectMeta meta, HttpFields fields) {
        if (!post) {
            return policy.mayStore(request.directives(), request.authorized(), meta);
        }
        StoreKey named = StoreUpdates.sameOriginKey(request.key().instance(), request.target(),
                fields.get(HttpHeader.CONTENT_LOCATION));
        return policy.mayStorePostResponse(request.directives(), request.authorized(), meta,
                request.key().equals(named));
    }

    /** The leader's: the request whose miss sent this fetch. */
    @Override
    public OriginTimer originTimer() {
        return recipient.originTimer();
    }

    @Override
    public void onOriginFailure(Throwable failure) {
        StoringSink tee = sink;
        if (tee != null) {
            tee.abort();
        }
        if (tee == null && !answered && serveStaleOnError(CacheStatus.forwarded(reason))) {
            return;
        }
        land(Landing.NOT_STORED);
        if (!answered) {
            // RFC 9111 §5.2.2.2: a response that must be revalidated and cannot be is a 504.
            boolean mustRevalidate = stored != null && CachePolicy.mustRevalidate(stored.meta());
            recipient.fail(mustRevalidate ? new RevalidationFailedException(failure) : failure,
                    CacheStatus.forwarded(reason));
        }
    }

    // RFC 5861 §4: a stale response stands in for a failing origin, within stale-if-error.
    private boolean serveStaleOnError(CacheStatus cacheStatus) {
        if (stored == null || answered || !policy.mayServeStaleOnError(request.directives(), stored.meta())) {
            return false;
        }
        land(Landing.NOT_STORED);
        answered = true;
        recipient.serveStored(stored, cacheStatus.detail("stale-if-error"));
        return true;
    }

    private static boolean isServerError(int status) {
        return status == HttpStatus.INTERNAL_SERVER_ERROR_500 || status == HttpStatus.BAD_GATEWAY_502
                || status == HttpStatus.SERVICE_UNAVAILABLE_503 || status == HttpStatus.GATEWAY_TIMEOUT_504;
    }

    // RFC 9111 §4.3.4: the stored body is still good; its fields and times are freshened. A 304
    // whose validator names another representation cannot freshen it: ask again, unconditionally.
    private void notModified(HttpFields fields, Instant requestTime, Instant responseTime) {
        if (StoreUpdates.compare(stored.meta(), fields, false) == StoreUpdates.Match.DIFFERENT) {
            refetchUnconditionally();
            return;
        }
        ObjectMeta meta = policy.freshened(stored.meta(), fields, requestTime, responseTime);
        boolean updated;
        try {
            // RFC 9111 §3.5: a 304 to credentials that takes away what let them share it is theirs alone.
            updated = (!request.authorized() || CachePolicy.mayAnswerAuthorized(meta))
                    && store.updateMeta(storedKey, meta);
        } catch (RuntimeException e) {
            LOG.warn("cannot update {} after a 304: {}", storedKey, e.toString());
            updated = false;
        }
        land(Landing.of(updated));
        answered = true;
        recipient.serveStored(new Revalidated(meta, stored),
                CacheStatus.forwarded(reason).fwdStatus(HttpStatus.NOT_MODIFIED_304));
    }

    // A store that fails only costs the choice: the range is asked for.
    private boolean fetchWhole() {
        try {
            return partials.fetchWhole(request.key());
        } catch (RuntimeException e) {
            LOG.warn("cannot read the parts of {}: {}", request.key(), e.toString());
            return false;
        }
    }

    // A store that fails only costs the completion: the whole is asked for.
    private PartialResponses.Completion completion() {
        try {
            return partials.completion(request.key(), request.target().fields()).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("cannot read the parts of {}: {}", request.key(), e.toString());
            return null;
        }
    }

    // This response cannot answer the request: the whole representation is asked for, without
    // conditions, and answers the recipient; the collapsed requests fetch on their own.
    private void refetchUnconditionally() {
        land(Landing.NOT_STORED);
        answered = true;
        Fill unconditional = new Fill(store, policy, request,
                new CacheFiller.Found(CacheFiller.State.ABSENT, request.key(), null, reason), partials, recipient,
                ignored -> { });
        unconditional.mayComplete = false;
        try {
            unconditional.start(origins, clock);
        } catch (RuntimeException e) {
            unconditional.onOriginFailure(e);
        }
    }

    // A store that fails must not fail the client: the response then simply passes through.
    private StoreWriter begin(ObjectMeta meta) {
        try {
            Variants.Placement where = variants.place(request.key(), meta, request.target().fields());
            placement = where;
            return store.begin(where.key(), where.meta());
        } catch (RuntimeException e) {
            LOG.warn("cannot store {}: {}", request.key(), e.toString());
            return null;
        }
    }

    // RFC 9111 §3.3: a 206 is stored as a part of the representation, under a key of its own.
    private StoreWriter beginPart(ObjectMeta meta) {
        try {
            PartialResponses.Placement where = partials.place(request.key(), meta, request.directives(), request.authorized());
            if (where == null) {
                return null;
            }
            partPlacement = where;
            return store.begin(where.key(), where.meta());
        } catch (RuntimeException e) {
            LOG.warn("cannot store a part of {}: {}", request.key(), e.toString());
            return null;
        }
    }

    // A committed variant is linked to the URL's primary key, and a committed part listed in the
    // URL's parts record, before anyone is told it landed.
    private void land(Landing landing) {
        if (landed.compareAndSet(false, true)) {
            Variants.Placement where = placement;
            if (landing.stored() && where != null) {
                try {
                    variants.link(where);
                } catch (RuntimeException e) {
                    LOG.warn("cannot link {} to {}: {}", where.primary(), where.key(), e.toString());
                }
                try {
                    // The complete response supersedes any parts of the URL.
                    partials.dropAll(request.key());
                } catch (RuntimeException e) {
                    LOG.warn("cannot drop the parts of {}: {}", request.key(), e.toString());
                }
            }
            PartialResponses.Placement part = partPlacement;
            if (landing.stored() && part != null) {
                landPart(part);
            }
            this.landing.accept(landing);
        }
    }

    // RFC 9110 §15.3.7.3: parts that now make the whole are combined, away from the origin's
    // thread (the copy reads and writes the whole representation).
    private void landPart(PartialResponses.Placement part) {
        try {
            if (partials.added(part)) {
                origins.executor().execute(() -> {
                    try {
                        partials.combine(part.primary(), request.target().fields());
                    } catch (RuntimeException e) {
                        LOG.warn("cannot combine the parts of {}: {}", part.primary(), e.toString());
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot list the part {} of {}: {}", part.part().range(), part.primary(), e.toString());
        }
    }

    /** The {@code Content-Length} of a response, or -1 when absent or not a number. */
    public static long contentLength(HttpFields fields) {
        String value = fields.get(HttpHeader.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException notANumber) {
            return -1;
        }
    }

    /** A stored body with the metadata a 304 just freshened. */
    private record Revalidated(ObjectMeta meta, StoredObject body) implements StoredObject {
        @Override
        public InputStream openBody() throws IOException {
            return body.openBody();
        }
    }
}
