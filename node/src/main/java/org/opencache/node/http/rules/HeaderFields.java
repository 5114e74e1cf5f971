package org.opencache.node.http.rules;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * What travels between client, cache and origin, field by field: hop-by-hop fields stay on their
 * hop (RFC 9110 §7.6.1), the cache announces itself in {@code Via}, and stored fields are
 * converted between Jetty's {@link HttpFields} and the store's plain entry list.
 */
public final class HeaderFields {
    /** Our {@code Via} member, on requests to the origin and on responses to the client. */
    public static final String VIA = "1.1 opencache";

    // Two-digit day, English names whatever the default locale; fractions of a second dropped.
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** Always hop-by-hop, whether or not {@code Connection} names them. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    // A fill asks the origin for the whole, current representation and validates on its own terms;
    // the client's conditionals and ranges would get a 304 or 206 the cache cannot store.
    private static final Set<String> CLIENT_PRECONDITIONS = Set.of("if-none-match", "if-modified-since",
            "if-match", "if-unmodified-since", "if-range", "range");

    // Expect is answered by our own server when the request body is read, so the origin must not
    // wait for a 100-continue we would never relay.
    private static final String EXPECT = "expect";

    // An upstream cache's Cache-Status describes one transfer, not the stored response.
    private static final Set<String> NOT_STORED = Set.of("cache-status");
    // Fields the stored body depends upon (RFC 9111 §3.2): its length, coding, range and digest
    // describe the bytes on disk, which a 304 does not replace; the ETag names them (a 304 for
    // another one is never applied, StoreUpdates.compare).
    private static final Set<String> NOT_UPDATED = Set.of("content-length", "content-encoding", "content-range",
            "content-md5", "etag");

    private HeaderFields() {
    }

    /** The end-to-end fields: all but the hop-by-hop ones and those the {@code Connection} field names. */
    public static HttpFields.Mutable endToEnd(HttpFields fields) {
        Set<String> connectionTokens = new HashSet<>();
        for (String token : fields.getCSV(HttpHeader.CONNECTION, false)) {
            connectionTokens.add(token.toLowerCase(Locale.ROOT));
        }
        HttpFields.Mutable kept = HttpFields.build();
        for (HttpField field : fields) {
            String name = field.getLowerCaseName();
            if (!HOP_BY_HOP.contains(name) && !connectionTokens.contains(name)) {
                kept.add(field);
            }
        }
        return kept;
    }

    /**
     * The fields of a client's request as the origin should see them: end-to-end only, with our
     * {@code Via} and the client's address appended to {@code X-Forwarded-For}.
     */
    public static HttpFields.Mutable forwarded(HttpFields clientFields, String clientAddress) {
        HttpFields.Mutable fields = endToEnd(clientFields);
        fields.remove(EXPECT);
        fields.add(HttpHeader.VIA, VIA);
        String forwardedFor = String.join(", ", fields.getValuesList(HttpHeader.X_FORWARDED_FOR));
        fields.put(HttpHeader.X_FORWARDED_FOR,
                forwardedFor.isEmpty() ? clientAddress : forwardedFor + ", " + clientAddress);
        return fields;
    }

    /**
     * Whether a request already carries our {@code Via} member: it has looped back to a cache,
     * e.g. a {@code *} instance asked for its own address. OpenCache instances are never chained
     * on purpose, so refusing such requests costs nothing and stops a loop that would otherwise
     * run until connections or timeouts give out.
     */
    public static boolean cameThroughUs(HttpFields requestFields) {
        return requestFields.contains(HttpHeader.VIA) && requestFields.getCSV(HttpHeader.VIA, false).stream()
                .anyMatch(member -> member.strip().equalsIgnoreCase(VIA));
    }

    /** The fields without the client's preconditions and range, for a request that fills the cache. */
    public static HttpFields.Mutable withoutPreconditions(HttpFields fields) {
        HttpFields.Mutable kept = HttpFields.build();
        for (HttpField field : fields) {
            if (!CLIENT_PRECONDITIONS.contains(field.getLowerCaseName())) {
                kept.add(field);
            }
        }
        return kept;
    }

    /** The fields as the store keeps them, in order. */
    public static List<Map.Entry<String, String>> toEntries(HttpFields fields) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(fields.size());
        for (HttpField field : fields) {
            if (!NOT_STORED.contains(field.getLowerCaseName())) {
                entries.add(Map.entry(field.getName(), field.getValue() == null ? "" : field.getValue()));
            }
        }
        return entries;
    }

    /**
     * Stored fields as sent to a client: without the cache's internal entries and without
     * {@code Age} and {@code Content-Length}, which the sender recomputes.
     */
    static HttpFields.Mutable toClientFields(List<Map.Entry<String, String>> entries) {
        HttpFields.Mutable fields = HttpFields.build();
        for (Map.Entry<String, String> entry : entries) {
            String name = entry.getKey();
            if (!CacheKeys.isInternal(name) && !name.equalsIgnoreCase("age")
                    && !name.equalsIgnoreCase("content-length")) {
                fields.add(name, entry.getValue());
            }
        }
        return fields;
    }

    /**
     * A stored response's fields freshened by a 304 (RFC 9111 §3.2, §4.3.4): every field the 304
     * carries replaces the stored field lines of that name, except those the stored body depends
     * upon ({@code Content-Length}, {@code Content-Encoding}, {@code Content-Range},
     * {@code Content-MD5}, {@code ETag}).
     */
    static List<Map.Entry<String, String>> freshen(List<Map.Entry<String, String>> stored, HttpFields update) {
        Set<String> replaced = new HashSet<>();
        for (HttpField field : update) {
            String name = field.getLowerCaseName();
            if (!NOT_UPDATED.contains(name) && !NOT_STORED.contains(name)) {
                replaced.add(name);
            }
        }
        List<Map.Entry<String, String>> merged = new ArrayList<>();
        for (Map.Entry<String, String> entry : stored) {
            if (!replaced.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
                merged.add(entry);
            }
        }
        for (Map.Entry<String, String> entry : toEntries(update)) {
            if (replaced.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
                merged.add(entry);
            }
        }
        return merged;
    }

    /** Every value of a field, case-insensitively, in order. */
    static List<String> values(List<Map.Entry<String, String>> entries, String name) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> entry : entries) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                values.add(entry.getValue());
            }
        }
        return values;
    }

    /**
     * The bytes a field takes in an HTTP/1.1 head: {@code name: value CRLF} (Jetty writes
     * a value as ISO-8859-1, one byte a character).
     */
    public static int encodedSize(HttpField field) {
        return field.getName().length() + 2 + (field.getValue() == null ? 0 : field.getValue().length()) + 2;
    }

    /**
     * The IMF-fixdate of RFC 9110 §5.6.7, e.g. {@code Thu, 03 Dec 2026 10:15:30 GMT}: the one
     * format a sender may generate. Every date the cache writes goes through here; Jetty's
     * {@code HttpDateTime.format} (RFC_1123_DATE_TIME) writes a one-digit day, {@code Thu, 3 Dec 2026}.
     */
    public static String formatDate(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /**
     * An HTTP-date in exactly one of the three formats RFC 9110 §5.6.7 requires recipients to
     * accept, else empty ({@link HttpDate} has the grammar and the few leniencies RFC 9111 §4.2
     * asks of a cache). The one way the cache reads a date: {@code Date}, {@code Expires},
     * {@code Last-Modified}, {@code If-Modified-Since}, {@code If-Range}.
     */
    public static Optional<Instant> parseDate(String value) {
        return HttpDate.parse(value);
    }
}
