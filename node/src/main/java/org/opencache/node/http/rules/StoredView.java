package org.opencache.node.http.rules;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.opencache.node.store.ObjectMeta;

/**
 * What the HTTP layer derives from a stored response's fields, computed once per
 * {@link ObjectMeta} and kept with it ({@link ObjectMeta#derived}), so that a hit neither parses
 * the stored fields nor rebuilds them field by field: re-parsing was 45 % of the bytes a 1 KiB
 * hit allocated, rebuilding the client's fields another 8 % (JFR, bench/HISTORY.md).
 *
 * <p>Thread-safe: all of it is immutable but the last {@code Age} field, which any thread may
 * replace with an equally valid one.
 */
public final class StoredView {
    private final Freshness.Parsed freshness;
    private final HttpFields clientFields;
    private final HttpFields wholeResponseFields;
    // A hot object is hit thousands of times within one second of age: they share one field.
    private volatile HttpField.LongValueHttpField age;

    private StoredView(Freshness.Parsed freshness, HttpFields clientFields, HttpFields wholeResponseFields) {
        this.freshness = freshness;
        this.clientFields = clientFields;
        this.wholeResponseFields = wholeResponseFields;
    }

    /** The view of a stored response, parsed on first use. */
    public static StoredView of(ObjectMeta response) {
        return response.derived(StoredView.class, StoredView::parse);
    }

    /** The inputs of freshness and age. */
    Freshness.Parsed freshness() {
        return freshness;
    }

    /**
     * The stored fields a client is sent, immutable: no internal, {@code Age} or
     * {@code Content-Length} fields (those depend on the response), nor the targeted fields the
     * cache consumed ({@link TargetedFields}).
     */
    public HttpFields clientFields() {
        return clientFields;
    }

    /**
     * The {@link #clientFields()} of a response that sends the whole stored body (or would, for a
     * HEAD), immutable: with {@code Content-Length} when the length is known (RFC 9110 §8.6: not
     * on a 204) and {@code Accept-Ranges: bytes} when ranges of it can be asked for (a 200 of
     * known length). No {@code Age}: see {@link #age(long)}.
     */
    public HttpFields wholeResponseFields() {
        return wholeResponseFields;
    }

    /** An {@code Age} field of this many seconds, at most 2^31 (RFC 9111 §1.2.2). */
    public HttpField age(long currentAge) {
        long seconds = Math.min(currentAge, CacheControl.MAX_DELTA_SECONDS);
        HttpField.LongValueHttpField last = age;
        if (last != null && last.getLongValue() == seconds) {
            return last;
        }
        HttpField.LongValueHttpField field = new HttpField.LongValueHttpField(HttpHeader.AGE, seconds);
        age = field;
        return field;
    }

    private static StoredView parse(ObjectMeta response) {
        HttpFields.Mutable fields = HeaderFields.toClientFields(response.headers());
        // The fields of the target list the cache consumes, unless the operator forwards them (RFC 9213 §3).
        TargetedFields.unforwarded(response.headers()).forEach(fields::remove);
        HttpFields client = fields.asImmutable();
        HttpFields.Mutable whole = HttpFields.build(client);
        long length = response.bodyLength();
        if (response.status() == HttpStatus.OK_200 && length >= 0) {
            whole.put(HttpHeader.ACCEPT_RANGES, "bytes");
        }
        if (length >= 0 && response.status() != HttpStatus.NO_CONTENT_204) {
            whole.put(HttpHeader.CONTENT_LENGTH, length);
        }
        return new StoredView(Freshness.parse(response), client, whole.asImmutable());
    }
}
