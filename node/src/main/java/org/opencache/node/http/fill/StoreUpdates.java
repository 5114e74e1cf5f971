package org.opencache.node.http.fill;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.opencache.node.http.origin.OriginTarget;
import org.opencache.node.http.rules.CacheKeys;
import org.opencache.node.http.rules.CachePolicy;
import org.opencache.node.http.rules.HeaderFields;
import org.opencache.node.http.rules.Preconditions;
import org.opencache.node.store.ObjectMeta;
import org.opencache.node.store.ObjectStore;
import org.opencache.node.store.StoreKey;
import org.opencache.node.store.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What relayed responses change in the store: an unsafe method that succeeds invalidates its
 * target and the same-origin {@code Location} and {@code Content-Location} (RFC 9111 §4.4), and
 * a HEAD response freshens, or invalidates, the stored GET it describes (§4.3.5). A store that
 * fails is logged and otherwise ignored: the client's response is not at stake.
 */
public final class StoreUpdates {
    private static final Logger LOG = LoggerFactory.getLogger(StoreUpdates.class);

    /** How a newer response's validators relate to a stored response's. */
    enum Match {
        /** A validator (or the lack of any on both sides) says they describe the same representation. */
        SAME,
        /** A validator or the length differs: the stored response is out of date. */
        DIFFERENT,
        /** The newer response has no validator to compare with the stored one's. */
        UNKNOWN
    }

    private final ObjectStore store;
    private final CachePolicy policy;
    private final String instance;

    public StoreUpdates(ObjectStore store, CachePolicy policy, String instance) {
        this.store = store;
        this.policy = policy;
        this.instance = instance;
    }

    /** After an unsafe method's response: a 2xx or 3xx invalidates (RFC 9111 §4.4). */
    public void afterUnsafe(OriginTarget target, int status, HttpFields fields) {
        if (status < 200 || status >= 400) {
            return;
        }
        remove(CacheKeys.key(instance, target.host(), target.port(), target.pathAndQuery()));
        invalidatedBy(target, fields).forEach(this::remove);
    }

    /**
     * After a relayed HEAD's 200 (RFC 9111 §4.3.5): a stored GET with the same validators has
     * its fields updated as a 304 would (§3.2); one whose validators or length differ is removed.
     */
    public void afterHead(StoreKey key, StoredObject stored, int status, HttpFields fields, Instant requestTime,
            Instant responseTime) {
        if (stored == null || status != 200) {
            return;
        }
        switch (compare(stored.meta(), fields, true)) {
            case SAME -> update(key, stored.meta(), fields, requestTime, responseTime);
            case DIFFERENT -> remove(key);
            case UNKNOWN -> { }
        }
    }

    /** Stores the fields of a 304 or HEAD response into a stored response's metadata (§3.2). */
    boolean update(StoreKey key, ObjectMeta old, HttpFields fields, Instant requestTime, Instant responseTime) {
        ObjectMeta meta = policy.freshened(old, fields, requestTime, responseTime);
        try {
            return store.updateMeta(key, meta);
        } catch (RuntimeException e) {
            LOG.warn("cannot update {}: {}", key, e.toString());
            return false;
        }
    }

    /**
     * Compares a newer response's validators with a stored response's (RFC 9111 §4.3.4): the
     * {@code ETag} if the newer one has one, else its {@code Last-Modified}; with
     * {@code compareLength}, a different {@code Content-Length} also makes them different.
     */
    static Match compare(ObjectMeta stored, HttpFields update, boolean compareLength) {
        String length = update.get(HttpHeader.CONTENT_LENGTH);
        if (compareLength && length != null && stored.bodyLength() >= 0
                && !length.strip().equals(Long.toString(stored.bodyLength()))) {
            return Match.DIFFERENT;
        }
        String etag = update.get(HttpHeader.ETAG);
        if (etag != null) {
            String storedTag = stored.header(HttpHeader.ETAG.asString());
            return storedTag != null && Preconditions.weakMatch(etag, storedTag) ? Match.SAME : Match.DIFFERENT;
        }
        String lastModified = update.get(HttpHeader.LAST_MODIFIED);
        if (lastModified != null) {
            String storedLastModified = stored.header(HttpHeader.LAST_MODIFIED.asString());
            Optional<Instant> modified = HeaderFields.parseDate(lastModified);
            // One that is not an HTTP-date can only be compared as it was sent.
            boolean same = modified.isPresent() ? modified.equals(HeaderFields.parseDate(storedLastModified))
                    : lastModified.strip().equals(storedLastModified == null ? null : storedLastModified.strip());
            return same ? Match.SAME : Match.DIFFERENT;
        }
        return CachePolicy.hasValidator(stored) ? Match.UNKNOWN : Match.SAME;
    }

    /**
     * The key of the URI a {@code Location} or {@code Content-Location} names, relative references
     * resolved against the target; null when it is malformed or of another origin (scheme, host,
     * port): only the target's own origin is ours to touch (§4.4: invalidating another host's
     * objects, or storing for it, would be a lever for one site against another).
     */
    static StoreKey sameOriginKey(String instance, OriginTarget target, String reference) {
        if (reference == null || reference.isBlank()) {
            return null;
        }
        try {
            URI base = new URI("http", null, target.host(), target.port(), "/", null, null)
                    .resolve(target.pathAndQuery());
            URI resolved = base.resolve(reference.strip());
            int port = resolved.getPort() < 0 ? 80 : resolved.getPort();
            if (!"http".equalsIgnoreCase(resolved.getScheme()) || resolved.getHost() == null
                    || !resolved.getHost().toLowerCase(Locale.ROOT).equals(target.host().toLowerCase(Locale.ROOT))
                    || port != target.port()) {
                return null;
            }
            String path = Objects.requireNonNullElse(resolved.getRawPath(), "/");
            String query = resolved.getRawQuery();
            return CacheKeys.key(instance, target.host(), target.port(),
                    (path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query));
        } catch (IllegalArgumentException | java.net.URISyntaxException malformed) {
            return null;
        }
    }

    // The URL's parts record goes with it: without it its parts are never served (RFC 9111 §4.4).
    private void remove(StoreKey key) {
        try {
            store.remove(key);
            store.remove(CacheKeys.partsKey(key));
        } catch (RuntimeException e) {
            LOG.warn("cannot invalidate {}: {}", key, e.toString());
        }
    }

    /** The same-origin keys a response's {@code Location} and {@code Content-Location} name. */
    List<StoreKey> invalidatedBy(OriginTarget target, HttpFields fields) {
        List<StoreKey> keys = new ArrayList<>();
        for (HttpHeader header : List.of(HttpHeader.LOCATION, HttpHeader.CONTENT_LOCATION)) {
            StoreKey key = sameOriginKey(instance, target, fields.get(header));
            if (key != null) {
                keys.add(key);
            }
        }
        return keys;
    }
}
