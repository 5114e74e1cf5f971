package org.opencache.node.http.rules;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.opencache.node.store.ObjectMeta;

/**
 * A client's own conditional GET or HEAD, answered from a stored response (RFC 9111 §4.3.2, RFC
 * 9110 §13): {@code If-None-Match}, else {@code If-Modified-Since}, decide between the stored
 * response and a {@code 304}; and {@code If-Range} decides whether a {@code Range} applies.
 * {@code If-Match} and {@code If-Unmodified-Since} are the origin's to evaluate, so such requests
 * never reach this class (the cache relays them).
 */
public final class Preconditions {
    /** The fields a 304 carries from the stored response (RFC 9110 §15.4.5). */
    private static final Set<String> NOT_MODIFIED_FIELDS = Set.of("cache-control", "content-location", "date",
            "etag", "expires", "vary");

    private Preconditions() {
    }

    /** Whether the request carries a precondition only the origin may evaluate. */
    public static boolean forOrigin(HttpFields request) {
        return request.contains(HttpHeader.IF_MATCH) || request.contains(HttpHeader.IF_UNMODIFIED_SINCE);
    }

    /** Whether the stored response should be answered with a 304 rather than sent. */
    public static boolean notModified(HttpFields request, ObjectMeta stored) {
        // RFC 9110 §13.2.1: preconditions only apply where the response would be a 2xx.
        if (stored.status() < 200 || stored.status() > 299) {
            return false;
        }
        if (request.contains(HttpHeader.IF_NONE_MATCH)) {
            // Our own split: Jetty's rejects weak tags (W/"x") as bad quoting.
            List<String> noneMatch = request.getValuesList(HttpHeader.IF_NONE_MATCH).stream()
                    .flatMap(value -> CacheControl.splitOutsideQuotes(value).stream())
                    .map(String::strip).filter(tag -> !tag.isEmpty()).toList();
            String etag = stored.header(HttpHeader.ETAG.asString());
            return noneMatch.stream().anyMatch(tag -> tag.equals("*") || (etag != null && weakMatch(tag, etag)));
        }
        List<String> since = request.getValuesList(HttpHeader.IF_MODIFIED_SINCE);
        if (since.size() != 1) {
            return false;
        }
        Optional<Instant> threshold = HeaderFields.parseDate(since.getFirst());
        Optional<Instant> modified = HeaderFields.parseDate(stored.header(HttpHeader.LAST_MODIFIED.asString()))
                .or(() -> HeaderFields.parseDate(stored.header(HttpHeader.DATE.asString())))
                .or(() -> Optional.of(stored.responseTime()));
        return threshold.isPresent() && !modified.get().isAfter(threshold.get());
    }

    /**
     * Whether a {@code Range} may be served from the stored response (RFC 9110 §13.1.5): always
     * without {@code If-Range}; with one, only if it strongly matches the stored {@code ETag}, or
     * equals a strong {@code Last-Modified} (one at least a second before the response's Date).
     */
    public static boolean rangeApplies(HttpFields request, ObjectMeta stored) {
        String ifRange = request.get(HttpHeader.IF_RANGE);
        if (ifRange == null) {
            return true;
        }
        ifRange = ifRange.strip();
        if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
            String etag = stored.header(HttpHeader.ETAG.asString());
            return etag != null && strongMatch(ifRange, etag);
        }
        Optional<Instant> date = HeaderFields.parseDate(ifRange);
        Optional<Instant> lastModified = strongLastModified(stored);
        return date.isPresent() && lastModified.isPresent() && date.get().equals(lastModified.get());
    }

    /**
     * Whether two responses share a strong validator (RFC 9111 §3.4, RFC 9110 §15.3.7.3), so that
     * their ranges may be combined: the same strong {@code ETag}, or, when neither has an
     * {@code ETag}, the same strong {@code Last-Modified}.
     */
    public static boolean sameStrongValidator(ObjectMeta a, ObjectMeta b) {
        String tagA = a.header(HttpHeader.ETAG.asString());
        String tagB = b.header(HttpHeader.ETAG.asString());
        if (tagA != null || tagB != null) {
            return tagA != null && tagB != null && strongMatch(tagA, tagB);
        }
        Optional<Instant> modifiedA = strongLastModified(a);
        return modifiedA.isPresent() && modifiedA.equals(strongLastModified(b));
    }

    /**
     * The response's strong validator as an {@code If-Range} value (RFC 9110 §13.1.5): its
     * {@code ETag} if strong, else its {@code Last-Modified} if strong and there is no
     * {@code ETag}; empty otherwise.
     */
    public static Optional<String> strongValidator(ObjectMeta response) {
        String etag = response.header(HttpHeader.ETAG.asString());
        if (etag != null) {
            return isWeak(etag) ? Optional.empty() : Optional.of(etag.strip());
        }
        return strongLastModified(response).map(modified -> response.header(HttpHeader.LAST_MODIFIED.asString()));
    }

    // RFC 9110 §8.8.2.2: a Last-Modified is strong when it is at least a second before the Date.
    private static Optional<Instant> strongLastModified(ObjectMeta stored) {
        Optional<Instant> lastModified = HeaderFields.parseDate(stored.header(HttpHeader.LAST_MODIFIED.asString()));
        Instant dated = HeaderFields.parseDate(stored.header(HttpHeader.DATE.asString())).orElse(stored.responseTime());
        return lastModified.filter(modified -> !modified.plusSeconds(1).isAfter(dated));
    }

    /** The fields of a 304 made from the stored response's fields. */
    public static HttpFields.Mutable notModifiedFields(HttpFields stored) {
        HttpFields.Mutable kept = HttpFields.build();
        for (HttpField field : stored) {
            if (NOT_MODIFIED_FIELDS.contains(field.getLowerCaseName())) {
                kept.add(field);
            }
        }
        return kept;
    }

    /** RFC 9110 §8.8.3.2 weak comparison: the opaque tags match, weak or not. */
    public static boolean weakMatch(String a, String b) {
        return opaque(a).equals(opaque(b));
    }

    /** RFC 9110 §8.8.3.2 strong comparison: neither is weak and the opaque tags match. */
    static boolean strongMatch(String a, String b) {
        return !isWeak(a) && !isWeak(b) && opaque(a).equals(opaque(b));
    }

    private static boolean isWeak(String tag) {
        return tag.strip().startsWith("W/");
    }

    private static String opaque(String tag) {
        String stripped = tag.strip();
        return isWeak(stripped) ? stripped.substring(2) : stripped;
    }
}
